package dev.wsfanout.local.sfn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only event list of one execution; ids start at 1 in the order events happen. The
 * closing event (ExecutionSucceeded/Failed/Aborted/TimedOut) is the last: paths still winding
 * down after a stop or timeout record nothing more, as on AWS.
 *
 * <p>With a limit (25,000 for a Standard execution, {@link Quotas#MAX_HISTORY_EVENTS}) the event
 * that would be number {@code limit} is not written: in its place the history closes with
 * ExecutionFailed (States.Runtime, "The execution reached the maximum number of history events
 * (25000).") as event {@code limit}, pointing back to the event before it, and the owner is told
 * so it can fail the execution. The history shares its owner's lock, so that and
 * {@link Execution#finish} cannot interleave.
 */
final class ExecutionHistory {

    /** What AWS writes into the ExecutionFailed that ends an execution at the history limit. */
    static String limitCause(int limit) {
        return "The execution reached the maximum number of history events (" + limit + ").";
    }

    private final List<HistoryEvent> events = new ArrayList<>();
    private final TimeSource time;
    private final Object lock;
    private final int limit;
    private final Runnable onLimit;
    private boolean closed;

    /**
     * @param lock    the owner's lock, held while the history changes and while {@code onLimit} runs
     * @param limit   most events, the closing ExecutionFailed included; 0 for none
     * @param onLimit called (holding {@code lock}) once the history closed itself at the limit
     */
    ExecutionHistory(TimeSource time, Object lock, int limit, Runnable onLimit) {
        this.time = time;
        this.lock = lock;
        this.limit = limit;
        this.onLimit = onLimit;
    }

    /**
     * Appends an event. {@code details} alternate name and value; null values are left out.
     *
     * @return the new event's id
     */
    long add(long previousEventId, String type, String detailsName, Object... details) {
        synchronized (lock) {
            if (closed) {
                return events.size();
            }
            if (limit > 0 && events.size() + 1 >= limit) {
                long id = append(events.size(), "ExecutionFailed", "executionFailedEventDetails",
                        "error", StatesError.RUNTIME, "cause", limitCause(limit));
                closed = true;
                onLimit.run();
                return id;
            }
            return append(previousEventId, type, detailsName, details);
        }
    }

    private long append(long previousEventId, String type, String detailsName, Object... details) {
        Map<String, Object> map = null;
        if (detailsName != null) {
            map = new LinkedHashMap<>();
            for (int i = 0; i < details.length; i += 2) {
                if (details[i + 1] != null) {
                    map.put((String) details[i], details[i + 1]);
                }
            }
        }
        long id = events.size() + 1L;
        events.add(new HistoryEvent(id, previousEventId, time.now(), type, detailsName, map));
        return id;
    }

    /** Appends the closing event (even as event number {@code limit}); nothing is recorded after it. */
    void close(long previousEventId, String type, String detailsName, Object... details) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            append(previousEventId, type, detailsName, details);
            closed = true;
        }
    }

    long lastId() {
        synchronized (lock) {
            return events.size();
        }
    }

    List<HistoryEvent> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }
}
