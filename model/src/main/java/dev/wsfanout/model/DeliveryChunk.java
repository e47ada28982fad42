package dev.wsfanout.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/**
 * One SQS message on a shard queue: the message to deliver and the connection ids to deliver it
 * to. The chunk id is deterministic (broadcast, partition, page position, retry attempt), so the
 * same chunk produced twice is recognised as the same work.
 *
 * @param attempt 0 for the chunk the query Lambda wrote; n for the n-th re-enqueue of its failures
 */
public record DeliveryChunk(String broadcastId, String chunkId, int attempt, List<String> connectionIds, JsonNode message) {
    public DeliveryChunk {
        Objects.requireNonNull(broadcastId, "broadcastId");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(message, "message");
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
        if (connectionIds == null || connectionIds.isEmpty()) {
            throw new IllegalArgumentException("chunk " + chunkId + " has no connectionIds");
        }
        connectionIds = List.copyOf(connectionIds);
    }

    /** The chunk id of partition {@code partitionId}'s {@code sequence}-th chunk. */
    public static String chunkId(int partitionId, int sequence) {
        return "p" + partitionId + "-c" + sequence;
    }

    /**
     * The chunk id of the {@code sequence}-th chunk packed from the small partitions of the batch
     * that starts at {@code firstPartitionId}.
     */
    public static String packedChunkId(int firstPartitionId, int sequence) {
        return "b" + firstPartitionId + "-c" + sequence;
    }

    /** The chunk that carries this chunk's failed ids into the next attempt. */
    public DeliveryChunk retryOf(List<String> failedIds) {
        return new DeliveryChunk(broadcastId, baseChunkId() + "-a" + (attempt + 1), attempt + 1, failedIds, message);
    }

    private String baseChunkId() {
        return attempt == 0 ? chunkId : chunkId.substring(0, chunkId.lastIndexOf("-a"));
    }
}
