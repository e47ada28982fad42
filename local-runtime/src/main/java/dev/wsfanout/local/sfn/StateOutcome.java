package dev.wsfanout.local.sfn;

import java.util.Map;

/**
 * What a state hands on: its output, the next state (null when the workflow ends here) and the
 * variables it assigned (applied when the state exits).
 */
record StateOutcome(Object output, String next, Map<String, Object> assigned) {
}
