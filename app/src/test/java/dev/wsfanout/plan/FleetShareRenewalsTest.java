package dev.wsfanout.plan;

import dev.wsfanout.fanout.FleetShare;
import dev.wsfanout.fanout.RateGovernor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FleetShareRenewalsTest {

    private static final long RENEWAL_MICROS = FleetShare.RENEWAL.toNanos() / 1000;

    private final SimulationParameters parameters = SimulationParameters.builder().postRate(9_000).jitter(0).build();
    private final EventScheduler scheduler = new EventScheduler();
    private final RateGovernor governor = new RateGovernor(parameters.initialPostShare(), () -> scheduler.now() * 1000);
    private final AtomicInteger posters = new AtomicInteger();
    private final FleetShareRenewals renewals = new FleetShareRenewals(parameters, scheduler,
            new LatencySampler(1, 0), governor, posters::get);
    /** A renewal's lease write and roster query, without jitter. */
    private final long renewalMicros = Math.round(2 * parameters.dynamoLatencyMs() * 1000);

    @Test
    void theShareFollowsThePostersCountedAtEachRenewal() {
        posters.set(30);
        renewals.join();
        assertEquals(parameters.initialPostShare(), governor.currentRate(), 1e-9, "before the roster answers");

        runUntil(renewalMicros);
        assertEquals(parameters.postRate() / 30, governor.currentRate(), 1e-9, "the join's renewal");

        posters.set(5);
        runUntil(renewalMicros + RENEWAL_MICROS - 1);
        assertEquals(parameters.postRate() / 30, governor.currentRate(), 1e-9, "not before the next renewal");
        runUntil(2 * renewalMicros + RENEWAL_MICROS);
        assertEquals(parameters.postRate() / 5, governor.currentRate(), 1e-9, "posters that left give their rate");
    }

    @Test
    void afterLeavingNoRenewalSetsTheGovernor() {
        posters.set(30);
        renewals.join();
        runUntil(renewalMicros);
        renewals.leave();

        posters.set(1);
        runUntil(10 * RENEWAL_MICROS);

        assertEquals(parameters.postRate() / 30, governor.currentRate(), 1e-9);
    }

    private void runUntil(long micros) {
        while (scheduler.runNext(micros)) {
            // each step runs one due event
        }
    }
}
