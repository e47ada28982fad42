package dev.wsfanout.local.sfn;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Wait: sleeps Seconds or until Timestamp on the execution's {@link TimeSource}; a StopExecution wakes it. */
final class WaitState implements StateRunner {

    @Override
    public StateOutcome run(StateVisit visit) {
        StateDefinition state = visit.state();
        StateIO io = StateIO.of(state);
        Object effective = io.effectiveInput(visit);
        TimeSource time = visit.execution().time();
        Object seconds = io.value(visit, "Seconds", effective);
        Duration wait;
        if (seconds != null) {
            if (!(seconds instanceof Long n) || n < 0) {
                throw new StatesError(errorName(state), "The Seconds of Wait state '" + state.name()
                        + "' must be a non-negative integer, was " + Json.write(seconds));
            }
            wait = Duration.ofSeconds(n);
        } else {
            Object timestamp = io.value(visit, "Timestamp", effective);
            Instant until;
            try {
                until = OffsetDateTime.parse(String.valueOf(timestamp)).toInstant();
            } catch (DateTimeParseException e) {
                throw new StatesError(errorName(state), "The Timestamp of Wait state '" + state.name()
                        + "' must be an ISO-8601 timestamp such as 2026-01-01T00:00:00Z, was " + Json.write(timestamp));
            }
            wait = Duration.between(time.now(), until);
        }
        if (!wait.isNegative()) {
            visit.branch().cancellation().sleep(time.realNanos(wait));
        }
        return io.passThrough(visit, effective, null, state.next());
    }

    private static String errorName(StateDefinition state) {
        return state.isJsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME;
    }
}
