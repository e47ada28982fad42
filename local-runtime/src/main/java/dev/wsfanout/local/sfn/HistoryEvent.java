package dev.wsfanout.local.sfn;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of an execution's history, as GetExecutionHistory returns it: {@code type} is AWS's
 * event type name ("TaskStateEntered"), {@code detailsName} the member holding the details
 * ("stateEnteredEventDetails"), or null for events without details.
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsName,
                           Map<String, Object> details) {
}
