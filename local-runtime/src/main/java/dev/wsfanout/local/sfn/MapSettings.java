package dev.wsfanout.local.sfn;

/** The numeric Map settings that may be literals, JSONata expressions or (JSONPath) *Path fields. */
final class MapSettings {

    private MapSettings() {
    }

    static int maxConcurrency(StateVisit visit, StateIO io, Object effective) {
        Object value = io.value(visit, "MaxConcurrency", effective);
        if (value == null) {
            return 0;
        }
        return (int) nonNegative(visit, "MaxConcurrency", value);
    }

    static Double toleratedFailurePercentage(StateVisit visit, StateIO io, Object effective) {
        Object value = io.value(visit, "ToleratedFailurePercentage", effective);
        if (value == null) {
            return null;
        }
        double percentage = value instanceof Number n ? n.doubleValue() : -1;
        if (percentage < 0 || percentage > 100) {
            throw new StatesError(errorName(visit), "The ToleratedFailurePercentage of Map state '" + visit.state().name()
                    + "' must be a number from 0 to 100, was " + Json.write(value));
        }
        return percentage;
    }

    static Long toleratedFailureCount(StateVisit visit, StateIO io, Object effective) {
        Object value = io.value(visit, "ToleratedFailureCount", effective);
        return value == null ? null : nonNegative(visit, "ToleratedFailureCount", value);
    }

    static long nonNegative(StateVisit visit, String field, Object value) {
        if (!(value instanceof Long n) || n < 0) {
            throw new StatesError(errorName(visit), "The " + field + " of state '" + visit.state().name()
                    + "' must be a non-negative integer, was " + Json.write(value));
        }
        return n;
    }

    private static String errorName(StateVisit visit) {
        return visit.state().isJsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME;
    }
}
