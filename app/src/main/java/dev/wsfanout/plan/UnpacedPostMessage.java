package dev.wsfanout.plan;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The seed design's postMessage: it posts every message of its batch at once (one connection per
 * message). The SDK retries a 429 with exponential backoff up to its attempt limit; a post that
 * still fails fails the whole invocation, so the whole batch, including the messages whose posts
 * succeeded, comes back after the queue's visibility timeout.
 */
final class UnpacedPostMessage implements BatchConsumer {

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final ApiGatewayThrottle api;
    private final DeliveryProgress progress;

    UnpacedPostMessage(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                       ApiGatewayThrottle api, DeliveryProgress progress) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.api = api;
        this.progress = progress;
    }

    /** The outcome of one invocation, filled in as its posts settle. */
    private static final class Invocation {
        private final SqsMessage[] messages;
        private final Consumer<List<SqsMessage>> done;
        private int unsettled;
        private boolean anyFailed;

        Invocation(List<SqsMessage> batch, Consumer<List<SqsMessage>> done) {
            this.messages = batch.toArray(SqsMessage[]::new);
            this.done = done;
            this.unsettled = messages.length;
        }
    }

    @Override
    public void consume(List<SqsMessage> batch, SqsQueue source, Consumer<List<SqsMessage>> done) {
        if (batch.isEmpty()) {
            done.accept(List.of());
            return;
        }
        post(new Invocation(batch, done), IntStream.range(0, batch.size()).toArray(), 1);
    }

    /**
     * Posts the messages at {@code indexes} together. The ones the throttle rejects are retried
     * together too, after one backoff: the posts of one invocation fail and retry in step.
     */
    private void post(Invocation invocation, int[] indexes, int attempt) {
        int accepted = api.admit(scheduler.now(), indexes.length);
        scheduler.after(latency.micros(parameters.effectivePostLatencyMs()), () -> {
            long now = scheduler.now();
            for (int i = 0; i < accepted; i++) {
                SqsMessage message = invocation.messages[indexes[i]];
                if (message.delivered()) {
                    progress.duplicates(1);
                } else {
                    progress.delivered(now, message.connections());
                    invocation.messages[indexes[i]] = new SqsMessage(message.connections(), message.attempt(), true);
                }
            }
            int[] rejected = Arrays.copyOfRange(indexes, accepted, indexes.length);
            progress.throttled(now, rejected.length);
            if (rejected.length > 0 && attempt < parameters.seedSdkAttempts()) {
                scheduler.after(latency.backoffMicros(parameters.seedSdkBackoffMs(), attempt),
                        () -> post(invocation, rejected, attempt + 1));
                settle(invocation, accepted, false);
            } else {
                settle(invocation, indexes.length, rejected.length > 0);
            }
        });
    }

    private void settle(Invocation invocation, int settled, boolean failed) {
        invocation.anyFailed |= failed;
        invocation.unsettled -= settled;
        if (invocation.unsettled == 0) {
            invocation.done.accept(invocation.anyFailed ? List.of(invocation.messages) : List.of());
        }
    }
}
