package dev.wsfanout.fanout;

import dev.wsfanout.registry.RegistryFixture;
import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The posters' roster on dynalite, with a clock the test moves. */
@ExtendWith(DynaliteExtension.class)
class PosterRosterTest {

    private final AtomicLong millis = new AtomicLong(1_800_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    };
    private RegistryFixture fixture;
    private PosterRoster roster;

    @BeforeEach
    void tables(@DynamoEndpoint URI dynamo) {
        fixture = RegistryFixture.create(dynamo, Map.of());
        roster = new PosterRoster(fixture.dynamo(), fixture.config().deliveriesTable(), clock);
    }

    @Test
    void countsTheLiveLeasesAndForgetsALeaverAtOnce() {
        assertEquals(1, roster.renew("a"));
        assertEquals(2, roster.renew("b"));
        assertEquals(3, roster.renew("c"));
        assertEquals(3, roster.renew("a"), "a renewal is not a second poster");
        roster.leave("b");
        assertEquals(2, roster.renew("a"));
    }

    @Test
    void aLeaseThatIsNotRenewedStopsCountingAfterItsTerm() {
        roster.renew("crashed");
        millis.addAndGet(PosterRoster.LEASE.toMillis() - 1);
        assertEquals(2, roster.renew("alive"), "still within its lease");
        millis.addAndGet(2);
        assertEquals(1, roster.renew("alive"), "lapsed");
    }

    @Test
    void aPosterGetsTheBudgetOverThePostersCountedAndLeavesItToTheOthers() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            roster.renew("other-1");
            roster.renew("other-2");
            RateGovernor governor = new RateGovernor(100);
            FleetShare share = new FleetShare(roster, governor, 9_000, timer);
            share.join();
            timer.submit(() -> { }).get();
            assertEquals(3_000, governor.currentRate(), 1e-9, "a third of the budget with two others posting");
            share.leave();
            assertEquals(2, roster.renew("other-1"), "its lease went with it");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void anUnreachableRosterLeavesTheGovernorAtItsLastShare() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            PosterRoster missingTable = new PosterRoster(fixture.dynamo(), "no-such-table", clock);
            RateGovernor governor = new RateGovernor(450);
            FleetShare share = new FleetShare(missingTable, governor, 9_000, timer);
            share.join();
            timer.submit(() -> { }).get();
            assertEquals(450, governor.currentRate(), 1e-9);
            share.leave();
        } finally {
            timer.shutdownNow();
        }
    }
}
