package dev.wsfanout.plan;

import dev.wsfanout.fanout.FleetShare;
import dev.wsfanout.fanout.RateGovernor;

import java.util.function.IntSupplier;

/**
 * The handler's FleetShare on the simulated clock: while an invocation posts, its lease in the
 * poster roster is renewed at once and then {@link FleetShare#RENEWAL} after each renewal ends
 * (a fixed delay, as the handler schedules it), and each renewal sets the invocation's governor to
 * its share of POST_RATE among the posters counted. A renewal is two DynamoDB requests (the lease
 * write, then the roster query); the count is taken when the query answers.
 */
final class FleetShareRenewals {

    private static final long RENEWAL_MICROS = FleetShare.RENEWAL.toNanos() / 1000;
    private static final int REQUESTS_PER_RENEWAL = 2;

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final RateGovernor governor;
    private final IntSupplier activePosters;
    private boolean posting;

    /** @param activePosters the postMessage invocations holding a lease now, across all shards */
    FleetShareRenewals(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                       RateGovernor governor, IntSupplier activePosters) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.governor = governor;
        this.activePosters = activePosters;
    }

    void join() {
        posting = true;
        renewAfter(0);
    }

    /** The invocation ended: no renewal sets its governor again. */
    void leave() {
        posting = false;
    }

    private void renewAfter(long delayMicros) {
        long requests = 0;
        for (int i = 0; i < REQUESTS_PER_RENEWAL; i++) {
            requests += latency.micros(parameters.dynamoLatencyMs());
        }
        scheduler.after(delayMicros + requests, () -> {
            if (posting) {
                governor.share(parameters.postShare(activePosters.getAsInt()));
                renewAfter(RENEWAL_MICROS);
            }
        });
    }
}
