package dev.wsfanout.cdk;

import java.util.Locale;

/**
 * How many history events one broadcast (a Standard execution of statemachine/broadcast.asl.json)
 * may write: Step Functions fails a Standard execution when its history reaches 25,000 events
 * (Step Functions quotas, docs/aws-limits.md). Almost all of them come from the completion loop
 * (Settled? → WaitForDeliveries → ReadTally → Settled?), which runs until every connection is
 * settled or {@code deliveryDeadlineSeconds} has passed, once every {@code pollIntervalSeconds};
 * so a deadline that passes validation on its own (up to 86,400 s) would fail a broadcast after
 * about 46 minutes of 1 s polls. This is the check that refuses such a pair at synth.
 *
 * <p>Events by state, from the definition (Step Functions' HistoryEvent types):
 * <ul>
 *   <li>a Pass, Choice or Wait state: ...StateEntered and ...StateExited, 2;</li>
 *   <li>a Task (Lambda invoke or DynamoDB request-response): TaskStateEntered, TaskScheduled,
 *       TaskStarted, TaskSucceeded, TaskStateExited, 5; each retry adds TaskFailed (or
 *       TaskTimedOut), TaskScheduled and TaskStarted, 3;</li>
 *   <li>the Distributed Map: MapStateEntered, MapStateStarted, MapRunStarted, MapRunSucceeded,
 *       MapStateSucceeded, MapStateExited, 6 (its children are EXPRESS executions with their own
 *       history, none of it in the parent's);</li>
 *   <li>ExecutionStarted and ExecutionSucceeded/ExecutionFailed, 1 each; Succeed writes
 *       SucceedStateEntered and SucceedStateExited, Fail FailStateEntered only.</li>
 * </ul>
 */
public final class ExecutionHistoryBudget {

    /** A Standard execution fails when its history reaches this many events (Step Functions quotas). */
    public static final int MAX_EVENTS = 25_000;

    /**
     * One poll of the completion loop: WaitForDeliveries (Wait, 2) + ReadTally (Lambda Task, 5) +
     * Settled? (Choice, 2). Read off the definition; the local engine's measured figure
     * (another helper is counting it, issue 13) replaces this if it differs.
     */
    public static final int EVENTS_PER_POLL = 9;

    /**
     * Everything outside the loop on the longest path: ExecutionStarted 1, CheckInput 2, InputValid? 2,
     * CreateBroadcast 5, ReadHead 5, ClaimSequence 5, AdvanceHead 5, Fanout 6, RecordQueued 5, the
     * first Settled? 2; then Recount 5, RecountComplete? 2, Delivered 2 (or DeliveryDeadlinePassed 1),
     * ExecutionSucceeded 1. A claim that finds its number taken costs another 5 (ClaimSequence again),
     * one per broadcast claimed since the head hint was read: the retry reserve covers them.
     */
    public static final int FIXED_EVENTS = 1 + 2 + 2 + 5 + 5 + 5 + 5 + 6 + 5 + 2 + 5 + 2 + 2 + 1;

    /**
     * Kept free for task retries (3 events each): every Task of the definition retries throttling
     * and service errors, ReadTally up to 5 times a poll. 1,000 events are about 330 retried calls
     * over a broadcast.
     */
    public static final int RETRY_RESERVE_EVENTS = 1_000;

    /** The most polls a broadcast may make: (25,000 − fixed − reserve) / 9. */
    public static final int MAX_POLLS = (MAX_EVENTS - FIXED_EVENTS - RETRY_RESERVE_EVENTS) / EVENTS_PER_POLL;

    private ExecutionHistoryBudget() {
    }

    /**
     * Polls until the deadline passes when nothing settles: Settled? is entered every
     * pollIntervalSeconds (plus ReadTally's own time, taken as zero for the worst case) and sends
     * to Recount once its entered time is past the deadline.
     */
    public static long polls(int deliveryDeadlineSeconds, int pollIntervalSeconds) {
        return deliveryDeadlineSeconds / pollIntervalSeconds + 1L;
    }

    /** The history events of the longest broadcast these two knobs allow, retries reserve included. */
    public static long worstCaseEvents(int deliveryDeadlineSeconds, int pollIntervalSeconds) {
        return FIXED_EVENTS + RETRY_RESERVE_EVENTS + EVENTS_PER_POLL * polls(deliveryDeadlineSeconds, pollIntervalSeconds);
    }

    /** The longest deadline a poll interval allows. */
    public static long maxDeadlineSeconds(int pollIntervalSeconds) {
        return (long) (MAX_POLLS - 1) * pollIntervalSeconds + (pollIntervalSeconds - 1);
    }

    /** Refuses a pair whose longest broadcast would reach the history limit, naming both knobs and the limit. */
    static void require(int deliveryDeadlineSeconds, int pollIntervalSeconds) {
        if (deliveryDeadlineSeconds < 1 || pollIntervalSeconds < 1) {
            return; // the range checks name these
        }
        long events = worstCaseEvents(deliveryDeadlineSeconds, pollIntervalSeconds);
        if (events > MAX_EVENTS) {
            long neededInterval = deliveryDeadlineSeconds / MAX_POLLS + 1;
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "deliveryDeadlineSeconds=%d with pollIntervalSeconds=%d polls the tally up to %,d times, "
                            + "%,d execution history events (%d a poll, %d outside the loop, %,d kept for retries); "
                            + "a Standard execution fails at %,d events (Step Functions quotas, docs/aws-limits.md). "
                            + "Keep deliveryDeadlineSeconds / pollIntervalSeconds at most %,d: "
                            + "deliveryDeadlineSeconds at most %,d, or pollIntervalSeconds at least %d",
                    deliveryDeadlineSeconds, pollIntervalSeconds, polls(deliveryDeadlineSeconds, pollIntervalSeconds),
                    events, EVENTS_PER_POLL, FIXED_EVENTS, RETRY_RESERVE_EVENTS, MAX_EVENTS, MAX_POLLS - 1,
                    maxDeadlineSeconds(pollIntervalSeconds), neededInterval));
        }
    }
}
