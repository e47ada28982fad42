package dev.wsfanout.fanout;

import dev.wsfanout.fanout.DeliveryLedger.ClaimState;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The chunk markers against real DynamoDB (dynalite): who holds a chunk, when a lease may be taken
 * over, and that only the first saved outcome ever counts. The clock is the test's, so a lease runs
 * out when the test says so.
 */
@ExtendWith(DynaliteExtension.class)
class DeliveryLedgerTest {

    private static final long LEASE = 30_000;
    private static final ChunkOutcome THREE_DELIVERED = new ChunkOutcome(3, List.of(), List.of(), List.of(), List.of(),
            List.of(), "", 1_000);
    private static final ChunkOutcome ONE_GONE = new ChunkOutcome(2, List.of("c3"), List.of(), List.of(), List.of(),
            List.of(), "", 2_000);

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));
    private DeliveryLedger ledger;

    @BeforeEach
    void freshTables(@DynamoEndpoint URI dynamo) {
        RegistryFixture tables = RegistryFixture.create(dynamo, Map.of());
        ledger = new DeliveryLedger(tables.dynamo(), tables.config().deliveriesTable(), clock);
    }

    @Test
    void aClaimedChunkIsHeldElsewhereUntilItsLeaseRunsOut() {
        assertEquals(ClaimState.CLAIMED, ledger.claim("b1", "c-1", 1, "env-a", LEASE).state());
        assertEquals(ClaimState.HELD_ELSEWHERE, ledger.claim("b1", "c-1", 1, "env-b", LEASE).state());
        assertEquals(ClaimState.CLAIMED, ledger.claim("b1", "c-1", 1, "env-a", LEASE).state(),
                "a retried claim (its response lost) recognises its own token");

        clock.advance(LEASE - 1);
        assertEquals(ClaimState.HELD_ELSEWHERE, ledger.claim("b1", "c-1", 2, "env-b", LEASE).state());
        clock.advance(2);
        assertEquals(ClaimState.CLAIMED, ledger.claim("b1", "c-1", 2, "env-b", LEASE).state(),
                "a crashed claimant's lease has run out: the redelivered message takes the chunk");
    }

    @Test
    void aPostedChunkIsNeverClaimedAgainAndItsSavedOutcomeIsWhatCounts() {
        ledger.claim("b1", "c-1", 1, "env-a", LEASE);
        assertEquals(THREE_DELIVERED, ledger.recordPosted("b1", "c-1", "env-a", THREE_DELIVERED));

        clock.advance(LEASE * 10);
        DeliveryLedger.Claim again = ledger.claim("b1", "c-1", 1, "env-b", LEASE);
        assertEquals(ClaimState.POSTED, again.state());
        assertEquals(THREE_DELIVERED, again.outcome().orElseThrow(), "the next delivery finishes from the saved outcome");
    }

    @Test
    void aClaimantWhoseLeaseWasTakenOverGetsTheOtherOutcomeOrLosesTheLease() {
        ledger.claim("b1", "c-1", 1, "slow", LEASE);
        clock.advance(LEASE + 1);
        ledger.claim("b1", "c-1", 2, "fast", LEASE);

        assertThrows(DeliveryLedger.LeaseLostException.class, () -> ledger.recordPosted("b1", "c-1", "slow", THREE_DELIVERED),
                "the chunk is someone else's and has no outcome yet: the slow one must not count it");
        assertEquals(ONE_GONE, ledger.recordPosted("b1", "c-1", "fast", ONE_GONE));
        assertEquals(ONE_GONE, ledger.recordPosted("b1", "c-1", "slow", THREE_DELIVERED),
                "once an outcome is saved, a late claimant gets that one, so the chunk counts once");
    }

    @Test
    void aReleasedClaimCanBeTakenAtOnceButOnlyItsOwnerCanReleaseIt() {
        ledger.claim("b1", "c-1", 1, "env-a", LEASE);
        ledger.release("b1", "c-1", "env-b");
        assertEquals(ClaimState.HELD_ELSEWHERE, ledger.claim("b1", "c-1", 1, "env-b", LEASE).state(), "not env-b's to release");
        ledger.release("b1", "c-1", "env-a");
        assertEquals(ClaimState.CLAIMED, ledger.claim("b1", "c-1", 1, "env-b", LEASE).state());
    }

    @Test
    void chunksOfOtherBroadcastsAreApart() {
        ledger.claim("b1", "c-1", 1, "env-a", LEASE);
        assertEquals(ClaimState.CLAIMED, ledger.claim("b2", "c-1", 1, "env-b", LEASE).state());
    }

    /** A clock that moves only when told. */
    private static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(long millis) {
            now = now.plusMillis(millis);
        }

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
            return now;
        }
    }
}
