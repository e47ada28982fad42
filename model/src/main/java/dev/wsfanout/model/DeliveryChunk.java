package dev.wsfanout.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One SQS message on a shard queue: the message to deliver and the connection ids to deliver it
 * to. Chunk ids come from the batch's persisted plan (see docs/failure-model.md), so the same
 * chunk sent twice is recognised as the same work; a retry chunk's id is derived from its
 * parent's and its attempt.
 *
 * <p>The JSON form carries the message as raw JSON text ({@code "message":<json>}), read back by
 * slicing the body rather than parsing and re-writing it, so the posted bytes never change. Unknown
 * fields are skipped: a chunk written by a newer query function must not go to the DLQ of an
 * older postMessage during a deploy.
 *
 * @param attempt     0 for the chunk the query Lambda wrote; n for the n-th re-enqueue of its failures
 * @param messageJson the broadcast message as JSON text
 */
public record DeliveryChunk(String broadcastId, String chunkId, int attempt, List<String> connectionIds, String messageJson) {

    public DeliveryChunk {
        Objects.requireNonNull(broadcastId, "broadcastId");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(messageJson, "message");
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
        if (connectionIds == null || connectionIds.isEmpty()) {
            throw new IllegalArgumentException("chunk " + chunkId + " has no connectionIds");
        }
        for (String id : connectionIds) {
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("chunk " + chunkId + " holds an empty or null connection id");
            }
        }
        connectionIds = List.copyOf(connectionIds);
    }

    /** The id of chunk {@code sequence} of page {@code page} of partition {@code partitionId}. */
    public static String partitionChunkId(int partitionId, int page, int sequence) {
        return "p" + partitionId + "-g" + page + "-c" + sequence;
    }

    /** The id of chunk {@code sequence} packed from the small partitions of the batch starting at {@code firstPartitionId}. */
    public static String packedChunkId(int firstPartitionId, int sequence) {
        return "b" + firstPartitionId + "-c" + sequence;
    }

    /** The chunk that carries this chunk's failed ids into the next attempt: {@code <root>-a<n>}. */
    public DeliveryChunk retryOf(List<String> failedIds) {
        return new DeliveryChunk(broadcastId, retryChunkId(rootChunkId(), attempt + 1), attempt + 1, failedIds, messageJson);
    }

    /** The id of the {@code attempt}-th retry chunk of the planned chunk {@code rootChunkId}. */
    public static String retryChunkId(String rootChunkId, int attempt) {
        return rootChunkId + "-a" + attempt;
    }

    /** The id of the planned chunk this one descends from (itself for attempt 0). */
    public String rootChunkId() {
        return rootChunkId(chunkId, attempt);
    }

    /** The planned chunk that the chunk {@code chunkId}, of attempt {@code attempt}, descends from. */
    public static String rootChunkId(String chunkId, int attempt) {
        return attempt == 0 ? chunkId : chunkId.substring(0, chunkId.lastIndexOf("-a"));
    }

    public String toJson() {
        return "{\"broadcastId\":" + JsonCodec.write(broadcastId)
                + ",\"chunkId\":" + JsonCodec.write(chunkId)
                + ",\"attempt\":" + attempt
                + ",\"connectionIds\":" + JsonCodec.write(connectionIds)
                + ",\"message\":" + messageJson + "}";
    }

    /**
     * Reads a chunk's JSON form.
     *
     * @throws JsonCodec.MalformedJsonException naming what is missing or wrong
     */
    public static DeliveryChunk fromJson(String json) {
        if (json == null) {
            throw new JsonCodec.MalformedJsonException("DeliveryChunk", "the body is null");
        }
        String broadcastId = null;
        String chunkId = null;
        Integer attempt = null;
        List<String> ids = null;
        String message = null;
        try (JsonParser p = JsonCodec.mapper().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonCodec.MalformedJsonException("DeliveryChunk", "expected a JSON object, got " + p.currentToken());
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "broadcastId" -> broadcastId = text(p, field);
                    case "chunkId" -> chunkId = text(p, field);
                    case "attempt" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new JsonCodec.MalformedJsonException("DeliveryChunk", "attempt must be an integer, got " + value);
                        }
                        attempt = p.getIntValue();
                    }
                    case "connectionIds" -> ids = strings(p);
                    case "message" -> message = rawValue(json, p);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new JsonCodec.MalformedJsonException("DeliveryChunk", "trailing content after the object");
            }
        } catch (IOException e) {
            throw new JsonCodec.MalformedJsonException("DeliveryChunk", e.getMessage());
        }
        require(broadcastId, "broadcastId");
        require(chunkId, "chunkId");
        require(attempt, "attempt");
        require(ids, "connectionIds");
        require(message, "message");
        try {
            return new DeliveryChunk(broadcastId, chunkId, attempt, ids, message);
        } catch (IllegalArgumentException e) {
            throw new JsonCodec.MalformedJsonException("DeliveryChunk", e.getMessage());
        }
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new JsonCodec.MalformedJsonException("DeliveryChunk", field + " must be a string, got " + p.currentToken());
        }
        return p.getText();
    }

    private static List<String> strings(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonCodec.MalformedJsonException("DeliveryChunk", "connectionIds must be an array, got " + p.currentToken());
        }
        List<String> ids = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            ids.add(text(p, "each of connectionIds"));
        }
        return ids;
    }

    /** The exact text of the value at the parser's current token. */
    private static String rawValue(String json, JsonParser p) throws IOException {
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        p.finishToken();
        int end = (int) p.currentLocation().getCharOffset();
        return json.substring(start, end);
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new JsonCodec.MalformedJsonException("DeliveryChunk", "missing field " + field);
        }
    }
}
