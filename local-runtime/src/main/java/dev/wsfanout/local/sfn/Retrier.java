package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Retry rule. Defaults are the documented ones: IntervalSeconds 1, MaxAttempts 3,
 * BackoffRate 2.0, no MaxDelaySeconds, JitterStrategy NONE.
 */
record Retrier(List<String> errorEquals, double intervalSeconds, int maxAttempts, double backoffRate,
               Double maxDelaySeconds, boolean fullJitter) {

    /** The fields of a Retrier. */
    static final Set<String> FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
            "MaxDelaySeconds", "JitterStrategy", "Comment");

    /** Checks the numbers and JitterStrategy of one Retrier at {@code location} (its fields and ErrorEquals: the validator). */
    static void validate(DefinitionValidator validator, Map<String, Object> rule, String location) {
        if (rule.containsKey("IntervalSeconds") && !DefinitionValidator.isPositiveInteger(rule.get("IntervalSeconds"))) {
            validator.error("SCHEMA_VALIDATION_FAILED", location + "/IntervalSeconds", "IntervalSeconds must be an integer >= 1");
        }
        if (rule.containsKey("MaxAttempts") && !(rule.get("MaxAttempts") instanceof Long n && n >= 0)) {
            validator.error("SCHEMA_VALIDATION_FAILED", location + "/MaxAttempts", "MaxAttempts must be an integer >= 0");
        }
        if (rule.containsKey("BackoffRate") && !(rule.get("BackoffRate") instanceof Number n && n.doubleValue() >= 1.0)) {
            validator.error("SCHEMA_VALIDATION_FAILED", location + "/BackoffRate", "BackoffRate must be a number >= 1.0");
        }
        if (rule.containsKey("MaxDelaySeconds") && !DefinitionValidator.isPositiveInteger(rule.get("MaxDelaySeconds"))) {
            validator.error("SCHEMA_VALIDATION_FAILED", location + "/MaxDelaySeconds", "MaxDelaySeconds must be an integer >= 1");
        }
        if (rule.containsKey("JitterStrategy") && !(rule.get("JitterStrategy") instanceof String jitter && List.of("FULL", "NONE").contains(jitter))) {
            validator.error("SCHEMA_VALIDATION_FAILED", location + "/JitterStrategy", "JitterStrategy must be FULL or NONE");
        }
    }

    static Retrier of(Map<String, Object> json) {
        return new Retrier(
                stringList(json.get("ErrorEquals")),
                number(json.get("IntervalSeconds"), 1),
                (int) number(json.get("MaxAttempts"), 3),
                number(json.get("BackoffRate"), 2.0),
                json.get("MaxDelaySeconds") == null ? null : number(json.get("MaxDelaySeconds"), 0),
                "FULL".equals(json.get("JitterStrategy")));
    }

    boolean matches(StatesError error) {
        return errorEquals.stream().anyMatch(error::matches);
    }

    /** Seconds to wait before retry number {@code attempt} (1-based), before jitter. */
    double delaySeconds(int attempt) {
        double delay = intervalSeconds * Math.pow(backoffRate, attempt - 1);
        return maxDelaySeconds == null ? delay : Math.min(delay, maxDelaySeconds);
    }

    static List<String> stringList(Object value) {
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    private static double number(Object value, double fallback) {
        return value instanceof Number n ? n.doubleValue() : fallback;
    }
}
