package dev.wsfanout.plan;

import dev.wsfanout.fanout.RateGovernor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * wsfanout's postMessage function: each SQS batch becomes a {@link PostMessageInvocation}, and every
 * tick gives each running invocation its turn to start posts. The first turn rotates so that no
 * invocation always reaches the account bucket first. The fleet is also the poster roster: the
 * invocations running now, on every shard, are the posters POST_RATE is divided by. Each execution
 * environment keeps its {@link RateGovernor} from one invocation to the next, as the handler
 * builds it once per environment: a warm invocation starts at the share and the congestion factor
 * its environment ended with, its burst refilled while it waited.
 */
final class PostingFleet implements BatchConsumer {

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final ApiGatewayThrottle api;
    private final DeliveryProgress progress;
    private final List<PostMessageInvocation> running = new ArrayList<>();
    private int rotation;
    private int posters;
    private final Deque<RateGovernor> idleEnvironments = new ArrayDeque<>();

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
        posters++;
        RateGovernor governor = idleEnvironments.isEmpty()
                // Until its roster first answers, a new environment assumes one poster per shard.
                ? new RateGovernor(parameters.initialPostShare(), () -> scheduler.now() * 1000)
                : idleEnvironments.pop();
        running.add(new PostMessageInvocation(parameters, scheduler, latency, api, progress, batch, source,
                governor, () -> posters, () -> {
                    posters--;
                    idleEnvironments.push(governor);
                    done.accept(List.of());
                }));
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
