package dev.wsfanout.local.sfn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only event list of one execution; ids start at 1 in the order events happen. The
 * closing event (ExecutionSucceeded/Failed/Aborted/TimedOut) is the last: paths still winding
 * down after a stop or timeout record nothing more, as on AWS.
 */
final class ExecutionHistory {

    private final List<HistoryEvent> events = new ArrayList<>();
    private final TimeSource time;
    private boolean closed;

    ExecutionHistory(TimeSource time) {
        this.time = time;
    }

    /**
     * Appends an event. {@code details} alternate name and value; null values are left out.
     *
     * @return the new event's id
     */
    synchronized long add(long previousEventId, String type, String detailsName, Object... details) {
        if (closed) {
            return events.size();
        }
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

    /** Appends the closing event; nothing is recorded after it. */
    synchronized void close(long previousEventId, String type, String detailsName, Object... details) {
        add(previousEventId, type, detailsName, details);
        closed = true;
    }

    synchronized long lastId() {
        return events.size();
    }

    synchronized List<HistoryEvent> events() {
        return List.copyOf(events);
    }
}
