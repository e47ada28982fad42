package dev.wsfanout.fanout;

import dev.wsfanout.model.DeliveryChunk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Cuts connection ids into delivery chunks that fit one SQS message together with the broadcast
 * message they carry, and turns a persisted plan back into the chunks it describes.
 */
public final class ChunkPlanner {

    /** Room for the chunk's own fields: ids, attempt, and the JSON punctuation around them. */
    private static final int CHUNK_OVERHEAD_BYTES = 256;
    /** API Gateway connection ids are 16 characters; leave room for longer ones. */
    static final int ID_BUDGET_BYTES = 40;
    /** Chunks per page: one SendMessageBatch. */
    private static final int CHUNKS_PER_PAGE = 10;
    /**
     * At most this many ids in one plan entry, so an entry stays well under DynamoDB's 400 KB item
     * limit (8,000 ids of {@link #ID_BUDGET_BYTES} bytes are 320 KB).
     */
    static final int MAX_IDS_PER_PLAN_ENTRY = 8_000;

    private final String broadcastId;
    private final long seq;
    private final String messageJson;
    private final int idsPerChunk;

    public ChunkPlanner(String broadcastId, long seq, String messageJson, int chunkSize, int sqsMaxMessageBytes) {
        this.broadcastId = broadcastId;
        this.seq = seq;
        this.messageJson = messageJson;
        int messageBytes = messageJson.getBytes(StandardCharsets.UTF_8).length;
        int room = sqsMaxMessageBytes - CHUNK_OVERHEAD_BYTES - broadcastId.length() - messageBytes;
        int fit = room / ID_BUDGET_BYTES;
        if (fit < 1) {
            throw new MessageTooLargeForChunkException(messageBytes, sqsMaxMessageBytes);
        }
        this.idsPerChunk = Math.min(chunkSize, fit);
    }

    public int idsPerChunk() {
        return idsPerChunk;
    }

    /** How many ids one read of a partition asks for, and the most one plan entry holds. */
    public int pageSize() {
        return Math.min(idsPerChunk * CHUNKS_PER_PAGE, MAX_IDS_PER_PLAN_ENTRY);
    }

    /** Cuts {@code ids} into chunks named by {@code chunkId(sequence)}. */
    public List<PlannedChunk> cut(List<String> ids, IntFunction<String> chunkId) {
        List<PlannedChunk> chunks = new ArrayList<>((ids.size() + idsPerChunk - 1) / idsPerChunk);
        int sequence = 0;
        for (int from = 0; from < ids.size(); from += idsPerChunk) {
            chunks.add(new PlannedChunk(chunkId.apply(sequence++), ids.subList(from, Math.min(ids.size(), from + idsPerChunk))));
        }
        return chunks;
    }

    /** The SQS message of a planned chunk. */
    public DeliveryChunk delivery(PlannedChunk chunk) {
        return new DeliveryChunk(broadcastId, seq, chunk.chunkId(), chunk.connectionIds(), messageJson);
    }

    /** The message is so large that not even one connection id fits beside it in an SQS message. */
    public static final class MessageTooLargeForChunkException extends IllegalArgumentException {
        public MessageTooLargeForChunkException(int messageBytes, int sqsMaxMessageBytes) {
            super("MessageTooLargeForChunk: the message is " + messageBytes + " bytes and an SQS message may hold "
                    + sqsMaxMessageBytes + " (SQS_MAX_MESSAGE_BYTES); no chunk of connection ids fits beside it");
        }
    }
}
