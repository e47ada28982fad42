package dev.wsfanout.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A standard SQS queue as the pollers see it: visible messages, and messages in flight. */
final class SqsQueue {

    private final EventScheduler scheduler;
    private final Deque<SqsMessage> visible = new ArrayDeque<>();
    private long sent;
    private int awaitingRedrive;

    SqsQueue(EventScheduler scheduler) {
        this.scheduler = scheduler;
    }

    static List<SqsQueue> shards(EventScheduler scheduler, int count) {
        List<SqsQueue> shards = new ArrayList<>(count);
        for (int shard = 0; shard < count; shard++) {
            shards.add(new SqsQueue(scheduler));
        }
        return List.copyOf(shards);
    }

    static long sentCount(List<SqsQueue> queues) {
        return queues.stream().mapToLong(SqsQueue::sentCount).sum();
    }

    void send(List<SqsMessage> messages) {
        visible.addAll(messages);
        sent += messages.size();
    }

    /** A message sent with DelaySeconds becomes visible only after the delay. */
    void sendDelayed(long delayMicros, SqsMessage message) {
        sent++;
        scheduler.after(delayMicros, () -> visible.add(message));
    }

    List<SqsMessage> receive(int max) {
        List<SqsMessage> batch = new ArrayList<>(Math.min(max, visible.size()));
        while (batch.size() < max && !visible.isEmpty()) {
            batch.add(visible.poll());
        }
        return batch;
    }

    /** A failed batch is not deleted: its messages become visible again after the visibility timeout. */
    void returnAfter(long visibilityTimeoutMicros, List<SqsMessage> messages) {
        awaitingRedrive += messages.size();
        scheduler.after(visibilityTimeoutMicros, () -> {
            awaitingRedrive -= messages.size();
            visible.addAll(messages);
        });
    }

    int awaitingRedriveCount() {
        return awaitingRedrive;
    }

    int visibleCount() {
        return visible.size();
    }

    long sentCount() {
        return sent;
    }
}
