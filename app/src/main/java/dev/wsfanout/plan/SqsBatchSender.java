package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * SendMessageBatch as a function uses it (ShardPublisher): messages dealt to the queues one by one
 * in turn, each queue's sent ten a call, {@code querySendConcurrency} calls in flight. A message is
 * visible in its queue from the moment its call returns.
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
        List<List<SqsMessage>> perQueue = new ArrayList<>();
        for (int q = 0; q < queues.size(); q++) {
            perQueue.add(new ArrayList<>());
        }
        for (int m = 0; m < messages.size(); m++) {
            perQueue.get(Math.floorMod(firstQueue + m, queues.size())).add(messages.get(m));
        }
        List<Call> batch = new ArrayList<>();
        for (int k = 0; k < queues.size(); k++) {
            int q = Math.floorMod(firstQueue + k, queues.size());
            List<SqsMessage> dealt = perQueue.get(q);
            for (int from = 0; from < dealt.size(); from += entriesPerCall) {
                batch.add(new Call(queues.get(q), dealt.subList(from, Math.min(dealt.size(), from + entriesPerCall))));
            }
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
