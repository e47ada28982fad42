package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * wsfanout's postMessage function: each SQS batch becomes a {@link PostMessageInvocation}, and every
 * tick gives each running invocation its turn to start posts. The first turn rotates so that no
 * invocation always reaches the account bucket first.
 */
final class PostingFleet implements BatchConsumer {

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final ApiGatewayThrottle api;
    private final DeliveryProgress progress;
    private final List<PostMessageInvocation> running = new ArrayList<>();
    private int rotation;

    PostingFleet(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                 ApiGatewayThrottle api, DeliveryProgress progress) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.api = api;
        this.progress = progress;
    }

    @Override
    public void consume(List<SqsMessage> batch, SqsQueue source, Consumer<List<SqsMessage>> done) {
        running.add(new PostMessageInvocation(parameters, scheduler, latency, api, progress, batch, source,
                () -> done.accept(List.of())));
    }

    /** Returns true when some invocation was held back by its own pacing this tick. */
    boolean tick() {
        running.removeIf(PostMessageInvocation::finished);
        int size = running.size();
        if (size == 0) {
            return false;
        }
        boolean pacingLimited = false;
        rotation = (rotation + 1) % size;
        for (int i = 0; i < size; i++) {
            pacingLimited |= running.get((rotation + i) % size).tick();
        }
        return pacingLimited;
    }
}
