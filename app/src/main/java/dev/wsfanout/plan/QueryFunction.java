package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The query Lambda's work, common to both designs: read a batch of partitions from the KEYS_ONLY
 * index concurrently (each partition page by page), then send the ids to the shard queues,
 * {@code connectionsPerMessage} ids per message, with SendMessageBatch (10 entries a call),
 * {@code querySendConcurrency} calls at a time. A message is visible in its queue from the moment
 * its call returns. (The handler starts sending a partition's first page while reading the next;
 * with a page or two per partition, reading first and sending after is close enough.)
 */
final class QueryFunction {

    private record SendCall(SqsQueue queue, List<SqsMessage> entries) {
    }

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final List<SqsQueue> shards;
    private final int connectionsPerMessage;
    private long sendMessageBatchCalls;

    QueryFunction(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                  List<SqsQueue> shards, int connectionsPerMessage) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.shards = List.copyOf(shards);
        this.connectionsPerMessage = connectionsPerMessage;
    }

    long sendMessageBatchCalls() {
        return sendMessageBatchCalls;
    }

    /** Reads partitions holding {@code partitionSizes} connections each, sends them, then runs {@code done}. */
    void run(int[] partitionSizes, int firstShard, Runnable done) {
        long elapsed = readMicros(partitionSizes);
        List<SendCall> calls = sendCalls(partitionSizes, firstShard);
        int concurrency = parameters.querySendConcurrency();
        for (int from = 0; from < calls.size(); from += concurrency) {
            elapsed += latency.micros(parameters.sqsSendLatencyMs());
            for (SendCall call : calls.subList(from, Math.min(calls.size(), from + concurrency))) {
                scheduler.after(elapsed, () -> call.queue().send(call.entries()));
            }
        }
        sendMessageBatchCalls += calls.size();
        scheduler.after(elapsed, done);
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

    /**
     * Each partition is cut into its own messages (ChunkPlanner); every ten consecutive messages
     * make one call, and each call goes to the next shard (ShardPublisher).
     */
    private List<SendCall> sendCalls(int[] partitionSizes, int firstShard) {
        List<SqsMessage> messages = new ArrayList<>();
        for (int size : partitionSizes) {
            for (int from = 0; from < size; from += connectionsPerMessage) {
                messages.add(SqsMessage.of(Math.min(connectionsPerMessage, size - from)));
            }
        }
        List<SendCall> calls = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += SimulationParameters.SQS_BATCH_ENTRIES) {
            int to = Math.min(messages.size(), from + SimulationParameters.SQS_BATCH_ENTRIES);
            SqsQueue shard = shards.get((firstShard + calls.size()) % shards.size());
            calls.add(new SendCall(shard, messages.subList(from, to)));
        }
        return calls;
    }
}
