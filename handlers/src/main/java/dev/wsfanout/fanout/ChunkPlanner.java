package dev.wsfanout.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.JsonCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Cuts connection ids into delivery chunks that fit one SQS message together with the broadcast
 * message they carry. Chunk ids follow the position of the ids — in a partition (p17-c0, p17-c1,
 * ...) or in the packed small partitions of a batch (b11-c0, ...) — so a rerun of the same batch
 * produces the same ids and postMessage recognises chunks it already delivered.
 */
public final class ChunkPlanner {

    /** Room for the chunk's own fields: ids, attempt, and the JSON punctuation around them. */
    private static final int CHUNK_OVERHEAD_BYTES = 256;
    /** API Gateway connection ids are 16 characters; leave room for longer ones. */
    private static final int ID_BUDGET_BYTES = 40;

    private final String broadcastId;
    private final JsonNode message;
    private final int idsPerChunk;

    public ChunkPlanner(String broadcastId, JsonNode message, int chunkSize, int sqsMaxMessageBytes) {
        this.broadcastId = broadcastId;
        this.message = message;
        int messageBytes = JsonCodec.utf8Size(message);
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

    /** The chunks of one partition, numbered from {@code firstSequence}. */
    public List<DeliveryChunk> plan(int partitionId, int firstSequence, List<String> ids) {
        return plan(ids, firstSequence, sequence -> DeliveryChunk.chunkId(partitionId, sequence));
    }

    /** The chunks packed from a batch's small partitions, their ids in partition order. */
    public List<DeliveryChunk> planPacked(int firstPartitionId, List<String> ids) {
        return plan(ids, 0, sequence -> DeliveryChunk.packedChunkId(firstPartitionId, sequence));
    }

    private List<DeliveryChunk> plan(List<String> ids, int firstSequence, IntFunction<String> chunkId) {
        List<DeliveryChunk> chunks = new ArrayList<>((ids.size() + idsPerChunk - 1) / idsPerChunk);
        int sequence = firstSequence;
        for (int from = 0; from < ids.size(); from += idsPerChunk) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + idsPerChunk));
            chunks.add(new DeliveryChunk(broadcastId, chunkId.apply(sequence++), 0, slice, message));
        }
        return chunks;
    }

    /** The message is so large that not even one connection id fits beside it in an SQS message. */
    public static final class MessageTooLargeForChunkException extends IllegalArgumentException {
        public MessageTooLargeForChunkException(int messageBytes, int sqsMaxMessageBytes) {
            super("MessageTooLargeForChunk: the message is " + messageBytes + " bytes and an SQS message may hold "
                    + sqsMaxMessageBytes + " (SQS_MAX_MESSAGE_BYTES); no chunk of connection ids fits beside it");
        }
    }
}
