package dev.wsfanout.cli;

/**
 * A broadcast whose execution has started.
 *
 * @param name          the execution name, which is the broadcast id
 * @param startedAtMillis epoch ms just before the StartExecution call: where latency is measured from
 */
public record StartedBroadcast(String name, String executionArn, long startedAtMillis) {
}
