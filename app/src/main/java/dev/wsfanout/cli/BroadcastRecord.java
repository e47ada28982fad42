package dev.wsfanout.cli;

import dev.wsfanout.model.BroadcastTally;

/**
 * A broadcast's row in the broadcasts table, or the same counters as the state machine last read
 * them (on AWS, from the execution history).
 *
 * @param partitions      partitions the query step walked (0 until the Map is done)
 * @param firstDeliveryAt epoch ms of the first successful post, or null if unknown or none yet
 * @param lastDeliveryAt  epoch ms of the last processed chunk, or null
 */
public record BroadcastRecord(BroadcastTally tally, long partitions, Long firstDeliveryAt, Long lastDeliveryAt) {
}
