package dev.wsfanout.resume;

import dev.wsfanout.registry.RegistryFixture;
import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a resume replays, against real DynamoDB (dynalite) holding the history as the state machine
 * writes it; the time is the test's, so the age limit cuts where the test says.
 */
@ExtendWith(DynaliteExtension.class)
class ResumePlannerTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final int MAX_COUNT = 5;
    private static final Duration MAX_AGE = Duration.ofHours(1);

    private HistoryFixture history;
    private ResumePlanner planner;

    @BeforeEach
    void freshTables(@DynamoEndpoint URI dynamo) {
        history = new HistoryFixture(RegistryFixture.create(dynamo, Map.of()));
        planner = new ResumePlanner(history.reader(), MAX_COUNT, MAX_AGE);
    }

    @Test
    void aClientThatMissedAFewGetsExactlyThoseInOrder() {
        broadcasts(1, 4, NOW.minusSeconds(60));

        ResumePlan plan = planner.plan(OptionalLong.of(2), NOW);

        assertEquals(Optional.empty(), plan.gap());
        assertEquals(List.of(3L, 4L), seqs(plan));
        assertEquals(4, plan.head());
    }

    @Test
    void aClientThatMissedNothingGetsNothingAndTheHead() {
        broadcasts(1, 3, NOW.minusSeconds(60));

        ResumePlan plan = planner.plan(OptionalLong.of(3), NOW);

        assertEquals(List.of(), seqs(plan));
        assertEquals(Optional.empty(), plan.gap());
        assertEquals(3, plan.head());
    }

    @Test
    void aClientThatHasSeenNothingLearnsOnlyTheHead() {
        broadcasts(1, 3, NOW.minusSeconds(60));

        ResumePlan plan = planner.plan(OptionalLong.empty(), NOW);

        assertEquals(List.of(), seqs(plan));
        assertEquals(3, plan.head());
        assertEquals(0, planner.plan(OptionalLong.empty(), NOW).replay().size());
    }

    @Test
    void anEmptyStreamHasHeadZero() {
        assertEquals(0, planner.plan(OptionalLong.empty(), NOW).head());
        ResumePlan fromZero = planner.plan(OptionalLong.of(0), NOW);
        assertEquals(List.of(), seqs(fromZero));
        assertEquals(Optional.empty(), fromZero.gap());
        assertEquals(0, fromZero.head());
    }

    @Test
    void moreThanTheRetainedCountIsAGapThenTheNewest() {
        broadcasts(1, 9, NOW.minusSeconds(60));

        ResumePlan plan = planner.plan(OptionalLong.of(1), NOW);

        assertEquals(Optional.of(new ResumePlan.Expired(2, 4)), plan.gap(), "9 - 5 retained: 2..4 are lost");
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L), seqs(plan));
        assertEquals(9, plan.head());
    }

    @Test
    void exactlyTheRetainedCountIsNoGap() {
        broadcasts(1, 6, NOW.minusSeconds(60));

        ResumePlan plan = planner.plan(OptionalLong.of(1), NOW);

        assertEquals(Optional.empty(), plan.gap());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), seqs(plan));
    }

    @Test
    void broadcastsOlderThanTheAgeLimitAreAGap() {
        broadcasts(1, 3, NOW.minus(MAX_AGE).minusSeconds(1));
        broadcasts(4, 5, NOW.minus(MAX_AGE).plusSeconds(1));

        ResumePlan plan = planner.plan(OptionalLong.of(1), NOW);

        assertEquals(Optional.of(new ResumePlan.Expired(2, 3)), plan.gap());
        assertEquals(List.of(4L, 5L), seqs(plan));
        assertEquals(5, plan.head());
    }

    @Test
    void whenEverythingMissedIsTooOldTheWholeRunIsTheGap() {
        broadcasts(1, 4, NOW.minus(MAX_AGE).minusSeconds(10));

        ResumePlan plan = planner.plan(OptionalLong.of(1), NOW);

        assertEquals(Optional.of(new ResumePlan.Expired(2, 4)), plan.gap());
        assertEquals(List.of(), seqs(plan));
        assertEquals(4, plan.head());
    }

    @Test
    void aSinceAheadOfTheHeadIsUnknown() {
        broadcasts(1, 3, NOW.minusSeconds(60));

        ResumePlan plan = planner.plan(OptionalLong.of(40), NOW);

        assertEquals(Optional.of(new ResumePlan.Unknown()), plan.gap());
        assertEquals(3, plan.head());
    }

    @Test
    void aSinceWhoseEntryExpiredButWithNewerOnesIsServedFromWhatIsLeft() {
        broadcasts(3, 5, NOW.minusSeconds(60));

        ResumePlan plan = planner.plan(OptionalLong.of(1), NOW);

        assertEquals(Optional.of(new ResumePlan.Expired(2, 2)), plan.gap(), "entries 1..2 were deleted by the TTL");
        assertEquals(List.of(3L, 4L, 5L), seqs(plan));
    }

    @Test
    void theReplayStopsAtAHoleAndTheHeadIsTheLastOneBeforeIt() {
        broadcasts(1, 5, NOW.minusSeconds(60));
        history.deleteEntry(4); // as a read that raced the write of 4 while 5 was written after it

        ResumePlan plan = planner.plan(OptionalLong.of(1), NOW);

        assertEquals(List.of(2L, 3L), seqs(plan));
        assertEquals(3, plan.head(), "5 comes by its fan-out or the next resume; the client must not skip 4");
    }

    private void broadcasts(long first, long last, Instant createdAt) {
        for (long seq = first; seq <= last; seq++) {
            history.broadcast(seq, createdAt);
        }
    }

    private static List<Long> seqs(ResumePlan plan) {
        return plan.replay().stream().map(HistoryEntry::seq).toList();
    }
}
