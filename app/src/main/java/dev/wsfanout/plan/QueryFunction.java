package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The query Lambda's work, common to both designs: read a batch of partitions from the KEYS_ONLY
 * index concurrently (each partition page by page, 1 MB a page), then send the ids to the shard
 * queues, {@code connectionsPerMessage} ids per message, messages dealt round-robin over the shards
 * and sent with SendMessageBatch (10 entries a call), {@code querySendConcurrency} calls at a time.
 * A message is visible in its queue from the moment its call returns.
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
        int ids = 0;
        for (int size : partitionSizes) {
            ids += size;
        }
        List<SendCall> calls = sendCalls(ids, firstShard);
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

    private List<SendCall> sendCalls(int ids, int firstShard) {
        List<List<SqsMessage>> perShard = new ArrayList<>(shards.size());
        for (int shard = 0; shard < shards.size(); shard++) {
            perShard.add(new ArrayList<>());
        }
        int message = 0;
        for (int remaining = ids; remaining > 0; remaining -= connectionsPerMessage, message++) {
            perShard.get((firstShard + message) % shards.size())
                    .add(new SqsMessage(Math.min(connectionsPerMessage, remaining), false));
        }
        List<SendCall> calls = new ArrayList<>();
        for (int shard = 0; shard < shards.size(); shard++) {
            List<SqsMessage> messages = perShard.get(shard);
            for (int from = 0; from < messages.size(); from += SimulationParameters.SQS_BATCH_ENTRIES) {
                int to = Math.min(messages.size(), from + SimulationParameters.SQS_BATCH_ENTRIES);
                calls.add(new SendCall(shards.get(shard), messages.subList(from, to)));
            }
        }
        return calls;
    }
}
