package dev.wsfanout.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many history events one cross-cell broadcast (a Standard execution of
 * statemachine/cells.asl.json, docs/cells.md) may write: Step Functions fails a Standard execution
 * when its history reaches 25,000 events (Step Functions quotas, docs/aws-limits.md), and the
 * cross-cell machine's Map is INLINE, so every cell's iteration writes into the one parent history.
 * Almost all of it comes from each cell's status loop (WaitForCell → CellEnded? → WaitForCell),
 * one round per cellBroadcast status call, for as long as the cell's own execution runs. That
 * execution fails once its {@code deliveryDeadlineSeconds} has passed, so it lasts at most about
 * that deadline plus its fixed part (input check, claim, fan-out, recount); a call answers RUNNING
 * only after waiting the full {@code cellWaitSeconds} (CellExecutions.await), so at worst a cell
 * takes {@code deliveryDeadlineSeconds / cellWaitSeconds + 2} calls: one for the fixed part and the
 * last one, which sees the end. The knobs pass their own range checks with values this refuses (a
 * day of deadline at 10 s calls is 8,642 calls a cell, 60,494 events); this is the check that
 * refuses such a deployment at synth. {@link ExecutionHistoryBudget} is the same check for each
 * cell's own machine.
 *
 * <p>Events by state, from the definition (Step Functions' HistoryEvent types):
 * <ul>
 *   <li>a Task (every one of them a Lambda invoke of cellBroadcast): TaskStateEntered,
 *       TaskScheduled, TaskStarted, TaskSucceeded (or TaskFailed, when a Catch takes it),
 *       TaskStateExited, 5; each retry adds TaskFailed (or TaskTimedOut), TaskScheduled and
 *       TaskStarted, 3;</li>
 *   <li>a Pass or Choice state: ...StateEntered and ...StateExited, 2;</li>
 *   <li>the inline Map {@code Cells}: MapStateEntered, MapStateStarted, MapStateSucceeded,
 *       MapStateExited, 4; and per item (per cell) MapIterationStarted and MapIterationSucceeded,
 *       2, around the iteration's own states;</li>
 *   <li>ExecutionStarted and ExecutionSucceeded/ExecutionFailed, 1 each; Succeed writes
 *       SucceedStateEntered and SucceedStateExited, Fail FailStateEntered only.</li>
 * </ul>
 * CrossCellHistoryBudgetTest fails when the definition's states no longer are the ones counted here.
 */
public final class CrossCellHistoryBudget {

    /** A Standard execution fails when its history reaches this many events (Step Functions quotas). */
    public static final int MAX_EVENTS = ExecutionHistoryBudget.MAX_EVENTS;

    /** One status call of a cell: WaitForCell (Lambda Task, 5) + CellEnded? (Choice, 2). */
    public static final int EVENTS_PER_CALL = 5 + 2;

    /**
     * A cell's iteration besides its status calls: MapIterationStarted 1, StartCell 5, CellEnded
     * (Pass) 2, MapIterationSucceeded 1.
     */
    public static final int EVENTS_PER_CELL = 1 + 5 + 2 + 1;

    /**
     * Everything outside the iterations on the longest path: ExecutionStarted 1, Prepare 5,
     * ClaimSequence 5, Cells (the inline Map) 4, AllCellsDelivered? 2, Delivered 2 (CellsFailed
     * writes 1), ExecutionSucceeded 1. The other path, InvalidInput, is shorter.
     */
    public static final int FIXED_EVENTS = 1 + 5 + 5 + 4 + 2 + 2 + 1;

    /**
     * Kept free for task retries (3 events each): every Task of the definition retries throttling,
     * service errors and Sandbox.Timedout up to 6 times. 1,000 events are about 330 retried calls
     * over a broadcast, as {@link ExecutionHistoryBudget} keeps for a cell's.
     */
    public static final int RETRY_RESERVE_EVENTS = 1_000;

    /** What the cells may write together: 25,000 − fixed − reserve. */
    static final int CELLS_BUDGET = MAX_EVENTS - FIXED_EVENTS - RETRY_RESERVE_EVENTS;

    private CrossCellHistoryBudget() {
    }

    /** The most status calls one cell may need: the deadline's worth of full waits, its fixed part and the last call. */
    public static long calls(int deliveryDeadlineSeconds, int cellWaitSeconds) {
        return deliveryDeadlineSeconds / cellWaitSeconds + 2L;
    }

    /** The history events of one cell's iteration at worst. */
    public static long eventsPerCell(int deliveryDeadlineSeconds, int cellWaitSeconds) {
        return EVENTS_PER_CELL + EVENTS_PER_CALL * calls(deliveryDeadlineSeconds, cellWaitSeconds);
    }

    /** The history events of the longest cross-cell broadcast these knobs allow, the retry reserve included. */
    public static long worstCaseEvents(int cells, int deliveryDeadlineSeconds, int cellWaitSeconds) {
        return FIXED_EVENTS + RETRY_RESERVE_EVENTS + cells * eventsPerCell(deliveryDeadlineSeconds, cellWaitSeconds);
    }

    /** The most cells one cross-cell machine may drive at these two knobs (0: not even one). */
    public static int maxCells(int deliveryDeadlineSeconds, int cellWaitSeconds) {
        return (int) (CELLS_BUDGET / eventsPerCell(deliveryDeadlineSeconds, cellWaitSeconds));
    }

    /** The most status calls a cell may make when {@code cells} share the budget. */
    static long maxCallsPerCell(int cells) {
        return (CELLS_BUDGET / cells - EVENTS_PER_CELL) / EVENTS_PER_CALL;
    }

    /** The longest deliveryDeadlineSeconds that {@code cells} allow at this cellWaitSeconds (below 1: none). */
    public static long maxDeadlineSeconds(int cells, int cellWaitSeconds) {
        // deadline / wait + 2 <= calls  <=>  deadline < (calls - 1) × wait
        return (maxCallsPerCell(cells) - 1) * cellWaitSeconds - 1;
    }

    /** The shortest cellWaitSeconds that {@code cells} allow at this deadline (Long.MAX_VALUE: none). */
    public static long minCellWaitSeconds(int cells, int deliveryDeadlineSeconds) {
        long fullWaits = maxCallsPerCell(cells) - 2;
        if (fullWaits < 0) {
            return Long.MAX_VALUE;
        }
        // deadline / wait <= fullWaits  <=>  wait > deadline / (fullWaits + 1)
        return deliveryDeadlineSeconds / (fullWaits + 1) + 1;
    }

    /**
     * Refuses a deployment of cells whose longest cross-cell broadcast would reach the history limit,
     * naming the three knobs, the numbers and the values that would fit.
     */
    static void require(int cells, int deliveryDeadlineSeconds, int cellWaitSeconds) {
        if (cells < 1 || deliveryDeadlineSeconds < 1 || cellWaitSeconds < 1) {
            return; // the cells' and the range checks name these
        }
        long events = worstCaseEvents(cells, deliveryDeadlineSeconds, cellWaitSeconds);
        if (events <= MAX_EVENTS) {
            return;
        }
        List<String> fixes = new ArrayList<>();
        int fewer = maxCells(deliveryDeadlineSeconds, cellWaitSeconds);
        if (fewer > 0) {
            fixes.add(String.format(Locale.ROOT, "deploy at most %d cells (-c cells)", fewer));
        }
        long wait = Math.max(DeployConfig.MIN_CELL_WAIT_SECONDS, minCellWaitSeconds(cells, deliveryDeadlineSeconds));
        if (wait <= DeployConfig.MAX_CELL_WAIT_SECONDS) {
            fixes.add(String.format(Locale.ROOT, "set cellWaitSeconds to at least %d", wait));
        }
        long deadline = maxDeadlineSeconds(cells, cellWaitSeconds);
        if (deadline >= 1) {
            fixes.add(String.format(Locale.ROOT, "set deliveryDeadlineSeconds to at most %,d", deadline));
        }
        String fix = fixes.isEmpty() ? "deploy fewer cells with a longer cellWaitSeconds or a shorter deliveryDeadlineSeconds"
                : String.join(", or ", fixes);
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%d cell%s with deliveryDeadlineSeconds=%d and cellWaitSeconds=%d: the cross-cell state machine "
                        + "may make up to %,d status calls a cell (deliveryDeadlineSeconds / cellWaitSeconds + 2), "
                        + "%,d execution history events (%d a call and %d more a cell, %d outside the cells, %,d "
                        + "kept for retries); a Standard execution fails at %,d events (Step Functions quotas, "
                        + "docs/aws-limits.md). %s",
                cells, cells == 1 ? "" : "s", deliveryDeadlineSeconds, cellWaitSeconds,
                calls(deliveryDeadlineSeconds, cellWaitSeconds), events, EVENTS_PER_CALL, EVENTS_PER_CELL,
                FIXED_EVENTS, RETRY_RESERVE_EVENTS, MAX_EVENTS,
                fewer == 0 ? "Not one cell fits these two values; " + fix
                        : fix.substring(0, 1).toUpperCase(Locale.ROOT) + fix.substring(1)));
    }
}
