package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The query Lambda's work, common to both designs: read a batch of partitions from the KEYS_ONLY
 * index concurrently (each partition page by page), cut each partition into messages of
 * {@code connectionsPerMessage} ids (ChunkPlanner) and send them to the shard queues. (The handler
 * starts sending a partition's first page while reading the next; with a page or two per
 * partition, reading first and sending after is close enough.)
 */
final class QueryFunction {

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final SqsBatchSender sender;
    private final List<SqsQueue> shards;
    private final int connectionsPerMessage;
    private final boolean readsBroadcastRecord;
    /** The broadcast record's key serves 3,000 RCU/s: the time its queue of reads is busy until. */
    private long recordKeyBusyUntil;
    private long recordReads;

    QueryFunction(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                  SqsBatchSender sender, List<SqsQueue> shards, int connectionsPerMessage,
                  boolean readsBroadcastRecord) {
        this.readsBroadcastRecord = readsBroadcastRecord;
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.sender = sender;
        this.shards = List.copyOf(shards);
        this.connectionsPerMessage = connectionsPerMessage;
    }

    /** Reads partitions holding {@code partitionSizes} connections each, sends them, then runs {@code done}. */
    void run(int[] partitionSizes, int firstShard, Runnable done) {
        List<SqsMessage> messages = new ArrayList<>();
        for (int size : partitionSizes) {
            for (int from = 0; from < size; from += connectionsPerMessage) {
                messages.add(SqsMessage.of(Math.min(connectionsPerMessage, size - from)));
            }
        }
        long sent = sender.send(messages, shards, firstShard, recordReadMicros() + readMicros(partitionSizes));
        scheduler.after(sent, done);
    }

    /**
     * wsfanout's query reads the message from the broadcast record (BroadcastMessages, strongly
     * consistent, once per execution environment; taken here as once per invocation, as the Map's
     * children mostly start new environments). Every read is on the same partition key, which
     * serves 3,000 RCU a second: a large message queues the reads behind each other.
     */
    private long recordReadMicros() {
        if (!readsBroadcastRecord) {
            return 0;
        }
        recordReads++;
        long now = scheduler.now();
        long serve = Math.round(1e6 * parameters.messageSize().recordReadUnits() / MessageSize.KEY_MAX_RCU_PER_SECOND);
        long start = Math.max(now, recordKeyBusyUntil);
        recordKeyBusyUntil = start + serve;
        return recordKeyBusyUntil - now + latency.micros(parameters.dynamoLatencyMs());
    }

    long recordReads() {
        return recordReads;
    }

    /** Partitions are read concurrently, the pages of one partition one after another. */
    private long readMicros(int[] partitionSizes) {
        int itemsPerPage = parameters.indexItemsPerPage();
        long slowest = 0;
        for (int size : partitionSizes) {
            int pages = Math.max(1, (size + itemsPerPage - 1) / itemsPerPage);
            long partitionMicros = 0;
            for (int page = 0; page < pages; page++) {
                partitionMicros += latency.micros(parameters.dynamoLatencyMs());
            }
            slowest = Math.max(slowest, partitionMicros);
        }
        return slowest;
    }
}
