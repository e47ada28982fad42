package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the size of the broadcast message changes, following the handlers: the message is stored
 * once on the broadcast record (read by every query invocation, strongly consistent), travels inside
 * every SQS chunk message beside the chunk's ids (ChunkPlanner: a chunk holds fewer ids when the
 * message leaves less room in SQS_MAX_MESSAGE_BYTES; ShardPublisher packs a SendMessageBatch up to
 * SQS_MAX_MESSAGE_BYTES in total), and reaches every client as the Data of one PostToConnection,
 * which API Gateway frames and bills in 32 KB units. The ledger's items (chunk markers, the 64
 * tallies per broadcast) do not hold the message, so their size does not change with it; their write
 * rate per partition key changes only with the number of ids per chunk.
 *
 * @param messageBytes      the delivered payload (envelope included), {@code --message-bytes}
 * @param storedBytes       the message as the broadcast record and every chunk hold it
 * @param idsPerChunk       connection ids per SQS chunk message
 * @param chunkMessageBytes one chunk message, about
 * @param entriesPerBatch   chunk messages per SendMessageBatch call
 * @param sqsBilledUnits    SQS requests one send (or receive, or delete) of a chunk is billed as (64 KB each)
 * @param frames            WebSocket frames of one delivery (32 KB each)
 * @param recordReadUnits   RCUs of one strongly consistent read of the broadcast record (4 KB each)
 */
public record MessageSize(int messageBytes, int storedBytes, int idsPerChunk, int chunkMessageBytes,
                          int entriesPerBatch, int sqsBilledUnits, int frames, int recordReadUnits) {

    /** API Gateway: PostToConnection Data is at most 128 KB (MessageLimits.POST_TO_CONNECTION_MAX_BYTES). */
    public static final int POST_TO_CONNECTION_MAX_BYTES = 131_072;
    /** API Gateway WebSocket frame size (fixed) and its billing unit: 32 KB. */
    public static final int FRAME_BYTES = 32_768;
    /** SQS bills each 64 KB chunk of a payload as one request. */
    public static final int SQS_BILLING_CHUNK_BYTES = 65_536;
    /** DynamoDB: a strongly consistent read is one RCU per 4 KB, a write one WCU per 1 KB. */
    public static final int RCU_BYTES = 4_096;
    public static final int WCU_BYTES = 1_024;
    /** DynamoDB: one partition key serves at most 3,000 RCU and 1,000 WCU per second, on-demand included. */
    public static final int KEY_MAX_RCU_PER_SECOND = 3_000;
    public static final int KEY_MAX_WCU_PER_SECOND = 1_000;
    /** LedgerKeys.SHARDS: ledger partition keys per broadcast. */
    public static final int LEDGER_SHARDS = 64;
    /** A chunk's ledger writes, all on its ledger key: claim the marker (1 WCU), settle it (1 WCU), ADD to the tally (~1.5 KB: 2 WCU). */
    public static final int LEDGER_WCU_PER_CHUNK = 1 + 1 + 2;

    /** {"broadcastId":"<36-character id>","seq":<7 digits>,"data":...}: Envelope around the stored message. */
    static final int ENVELOPE_BYTES = 16 + 36 + 8 + 7 + 8 + 1;
    /** ChunkPlanner: room for the chunk's own fields, and the budget of one connection id. */
    static final int CHUNK_OVERHEAD_BYTES = 256;
    static final int ID_BUDGET_BYTES = 40;
    /** A real API Gateway connection id in the chunk's JSON: 16 characters, quotes and a comma. */
    static final int ID_BYTES = 19;
    /** The broadcast record without its message (id, execution ARN, counters). */
    static final int RECORD_OVERHEAD_BYTES = 400;

    static MessageSize of(SimulationParameters p) {
        int messageBytes = p.messageBytes();
        int stored = Math.max(1, messageBytes - ENVELOPE_BYTES);
        int room = p.sqsMaxMessageBytes() - CHUNK_OVERHEAD_BYTES - 36 - stored;
        int fit = room / ID_BUDGET_BYTES;
        if (fit < 1) {
            throw new IllegalArgumentException("--message-bytes " + messageBytes + " leaves no room for a connection id in an "
                    + "SQS message of --sqs-max-message-bytes " + p.sqsMaxMessageBytes()
                    + " (the query step would fail with MessageTooLargeForChunk); raise --sqs-max-message-bytes");
        }
        int ids = Math.min(p.chunkSize(), fit);
        int chunkBytes = CHUNK_OVERHEAD_BYTES + stored + ids * ID_BYTES;
        int perBatch = Math.max(1, Math.min(SimulationParameters.SQS_BATCH_ENTRIES, p.sqsMaxMessageBytes() / chunkBytes));
        return new MessageSize(messageBytes, stored, ids, chunkBytes, perBatch,
                ceilDiv(chunkBytes, SQS_BILLING_CHUNK_BYTES), ceilDiv(messageBytes, FRAME_BYTES),
                ceilDiv(stored + RECORD_OVERHEAD_BYTES, RCU_BYTES));
    }

    /** One limit the message size moves, how much of it a broadcast uses, and where it comes from. */
    public record Load(String limit, double demand, double capacity, String unit, String source) {
        public double utilization() {
            return demand / capacity;
        }
    }

    /**
     * The size-dependent limits this broadcast touches, tightest first.
     *
     * @param queryInvocations  query invocations (each reads the broadcast record once: a new
     *                          environment has no cached message, and the Map's children mostly start new ones)
     * @param queryWindowSeconds the time over which they start (the Map's start)
     * @param peakDeliveriesPerSecond the fastest second of deliveries
     */
    public List<Load> loads(SimulationParameters p, long queryInvocations, double queryWindowSeconds,
                            double peakDeliveriesPerSecond) {
        List<Load> loads = new ArrayList<>();
        double window = Math.max(queryWindowSeconds, 1);
        loads.add(new Load("broadcast record reads (one key)", queryInvocations * recordReadUnits / window,
                KEY_MAX_RCU_PER_SECOND, "RCU/s", "DynamoDB per-partition-key limit"));
        double chunksPerSecond = peakDeliveriesPerSecond / idsPerChunk;
        loads.add(new Load("ledger writes per ledger key", chunksPerSecond / LEDGER_SHARDS * LEDGER_WCU_PER_CHUNK,
                KEY_MAX_WCU_PER_SECOND, "WCU/s", "DynamoDB per-partition-key limit"));
        double egressPerInvocation = Math.min(p.postRate(), p.effectivePostRate()) * messageBytes * 8 / 1e6;
        loads.add(new Load("postMessage egress per invocation", egressPerInvocation, p.lambdaEgressMbps(), "Mbit/s",
                "assumption (--lambda-egress-mbps; Lambda documents no figure)"));
        loads.add(new Load("chunk message size", chunkMessageBytes, p.sqsMaxMessageBytes(), "bytes",
                "SQS_MAX_MESSAGE_BYTES (SQS allows up to 1 MiB)"));
        loads.add(new Load("delivery payload", messageBytes, POST_TO_CONNECTION_MAX_BYTES, "bytes",
                "API Gateway message payload (128 KB, fixed)"));
        loads.sort(Comparator.comparingDouble(Load::utilization).reversed());
        return List.copyOf(loads);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
