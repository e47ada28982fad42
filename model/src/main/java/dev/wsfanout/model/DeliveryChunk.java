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
 * chunk sent twice is recognised as the same work; a retry or carry-over chunk's id is derived
 * from its parent's.
 *
 * <p>The JSON form carries the message as raw JSON text ({@code "message":<json>}), read back by
 * slicing the body rather than parsing and re-writing it, so the posted bytes never change. Unknown
 * fields are skipped: a chunk written by a newer query function must not go to the DLQ of an
 * older postMessage during a deploy.
 *
 * @param seq         the broadcast's sequence number, which the envelope carries (0: unnumbered, see {@link Envelope})
 * @param attempt     how many attempts that met an error (5xx, no answer) its ids have spent: 0 for the chunk the
 *                    query Lambda wrote
 * @param throttles   how many times its ids were handed on after nothing but 429s (which spend no attempt)
 * @param messageJson the broadcast message as JSON text
 */
public record DeliveryChunk(String broadcastId, long seq, String chunkId, int attempt, int throttles,
                            List<String> connectionIds, String messageJson) {

    /** A chunk as the query Lambda plans it: no attempt spent, never throttled. */
    public DeliveryChunk(String broadcastId, long seq, String chunkId, List<String> connectionIds, String messageJson) {
        this(broadcastId, seq, chunkId, 0, 0, connectionIds, messageJson);
    }

    public DeliveryChunk {
        Objects.requireNonNull(broadcastId, "broadcastId");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(messageJson, "message");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, was " + seq);
        }
        if (attempt < 0 || throttles < 0) {
            throw new IllegalArgumentException("attempt and throttles must be >= 0, were " + attempt + " and " + throttles);
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

    /** The chunk that carries this chunk's ids that met an error into the next attempt: {@code <chunkId>-r}. */
    public DeliveryChunk retryOf(List<String> ids) {
        return new DeliveryChunk(broadcastId, seq, retryChunkId(chunkId), attempt + 1, throttles, ids, messageJson);
    }

    /** The chunk that carries this chunk's throttled ids on, without spending an attempt: {@code <chunkId>-t}. */
    public DeliveryChunk throttledOf(List<String> ids) {
        return new DeliveryChunk(broadcastId, seq, throttledChunkId(chunkId), attempt, throttles + 1, ids, messageJson);
    }

    /**
     * The chunk that carries the ids this chunk's invocation had no time to try, at the same
     * attempt (they spent none): {@code <chunkId>-n}.
     */
    public DeliveryChunk carryOverOf(List<String> ids) {
        return new DeliveryChunk(broadcastId, seq, carryOverChunkId(chunkId), attempt, throttles, ids, messageJson);
    }

    /**
     * Children are named after their parent alone, so each chunk's children have ids no other
     * chunk's can have, and a second send of one is recognised as the same chunk.
     */
    public static String retryChunkId(String parentChunkId) {
        return parentChunkId + "-r";
    }

    public static String throttledChunkId(String parentChunkId) {
        return parentChunkId + "-t";
    }

    public static String carryOverChunkId(String parentChunkId) {
        return parentChunkId + "-n";
    }

    public String toJson() {
        return "{\"broadcastId\":" + JsonCodec.write(broadcastId)
                + ",\"seq\":" + seq
                + ",\"chunkId\":" + JsonCodec.write(chunkId)
                + ",\"attempt\":" + attempt
                + ",\"throttles\":" + throttles
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
        long seq = 0;
        Integer attempt = null;
        int throttles = 0;
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
                    case "seq" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new JsonCodec.MalformedJsonException("DeliveryChunk", "seq must be an integer, got " + value);
                        }
                        seq = p.getLongValue();
                    }
                    case "throttles" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new JsonCodec.MalformedJsonException("DeliveryChunk", "throttles must be an integer, got " + value);
                        }
                        throttles = p.getIntValue();
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
            return new DeliveryChunk(broadcastId, seq, chunkId, attempt, throttles, ids, message);
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
