package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;

/**
 * One Retry rule. Defaults are the documented ones: IntervalSeconds 1, MaxAttempts 3,
 * BackoffRate 2.0, no MaxDelaySeconds, JitterStrategy NONE.
 */
record Retrier(List<String> errorEquals, double intervalSeconds, int maxAttempts, double backoffRate,
               Double maxDelaySeconds, boolean fullJitter) {

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
