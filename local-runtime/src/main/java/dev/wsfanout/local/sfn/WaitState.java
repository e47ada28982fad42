package dev.wsfanout.local.sfn;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** Wait: sleeps Seconds or until Timestamp on the execution's {@link TimeSource}; a StopExecution wakes it. */
final class WaitState implements StateRunner {

    static final StateSpec SPEC = StateSpec.of("Wait", StateSpec.Flow.NEXT_OR_END,
                    Set.of("Assign", "Seconds", "Timestamp"),
                    Set.of("InputPath", "OutputPath", "SecondsPath", "TimestampPath"),
                    Set.of("Output"))
            .checkedBy(WaitState::validate);

    /** Exactly one of Seconds, Timestamp, SecondsPath, TimestampPath; Seconds a non-negative integer (or JSONata). */
    private static void validate(DefinitionValidator validator, StateSpec.Site site) {
        long count = List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath").stream().filter(site::has).count();
        if (count != 1) {
            validator.error("SCHEMA_VALIDATION_FAILED", site.location(),
                    "A Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath");
        }
        Object seconds = site.get("Seconds");
        if (seconds != null && !(seconds instanceof Long n && n >= 0) && !DefinitionValidator.isJsonata(seconds)) {
            validator.error("SCHEMA_VALIDATION_FAILED", site.at("Seconds"), "Seconds must be a non-negative integer");
        }
    }

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
