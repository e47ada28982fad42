package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * SendMessageBatch as a function uses it: ten consecutive messages a call, each call to the next
 * queue in turn, {@code querySendConcurrency} calls in flight. A message is visible in its queue
 * from the moment its call returns.
 */
final class SqsBatchSender {

    private record Call(SqsQueue queue, List<SqsMessage> entries) {
    }

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final int entriesPerCall;
    private long calls;

    /** @param entriesPerCall messages per call: ten, or fewer when ten large ones exceed the call's byte limit */
    SqsBatchSender(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency, int entriesPerCall) {
        this.entriesPerCall = entriesPerCall;
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
    }

    long calls() {
        return calls;
    }

    /**
     * Sends {@code messages} over {@code queues}, the first call to {@code queues[firstQueue]},
     * starting {@code startMicros} from now. Returns when (from now) the last call has returned.
     */
    long send(List<SqsMessage> messages, List<SqsQueue> queues, int firstQueue, long startMicros) {
        List<Call> batch = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += entriesPerCall) {
            int to = Math.min(messages.size(), from + entriesPerCall);
            SqsQueue queue = queues.get(Math.floorMod(firstQueue + batch.size(), queues.size()));
            batch.add(new Call(queue, messages.subList(from, to)));
        }
        long elapsed = startMicros;
        int concurrency = parameters.querySendConcurrency();
        for (int from = 0; from < batch.size(); from += concurrency) {
            elapsed += latency.micros(parameters.sqsSendLatencyMs());
            for (Call call : batch.subList(from, Math.min(batch.size(), from + concurrency))) {
                scheduler.after(elapsed, () -> call.queue().send(call.entries()));
            }
        }
        calls += batch.size();
        return elapsed;
    }
}
