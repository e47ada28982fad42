package dev.wsfanout.cli;

/**
 * A broadcast whose execution has started.
 *
 * @param name          the execution name, which is the broadcast id
 * @param startedAtMillis epoch ms just before the StartExecution call: where latency is measured from
 *                        (for an existing broadcast, its execution's start)
 * @param existing        true when a broadcast with this name and message had been started before: the
 *                        call was a retry and started nothing
 */
public record StartedBroadcast(String name, String executionArn, long startedAtMillis, boolean existing) {
}
