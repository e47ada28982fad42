package dev.wsfanout.cli;

/**
 * Everything known about one broadcast: what {@code wsfanout audit} prints and {@code --json} emits.
 * Counts come from the execution's output once it succeeded, before that from the broadcast record.
 *
 * @param startedBy        the role that ran the execution on AWS, or "local"
 * @param startDate        ISO-8601
 * @param stopDate         ISO-8601, null while running
 * @param messageBytes     serialized UTF-8 size of the message
 * @param durationMillis   start to stop (to now while running)
 * @param firstDeliveryMillis after the start; null before the first delivery (on AWS: until a completion poll saw one)
 * @param lastDeliveryMillis  after the start; null likewise
 * @param error            the failure's error name, null unless it failed
 * @param mapRun           the Distributed Map run's counts, null before the Map started
 */
public record BroadcastAudit(String broadcastId, String executionArn, String status, String startedBy, String startDate,
                             String stopDate, int messageBytes, long partitions, long connections, long delivered, long gone,
                             long failed, long retried, long durationMillis, Long firstDeliveryMillis, Long lastDeliveryMillis,
                             String error, String cause, MapRunCounts mapRun) {

    public boolean running() {
        return "RUNNING".equals(status);
    }

    /** Every connection delivered exactly as queued: nothing gone, nothing failed. */
    public boolean deliveredToAll() {
        return "SUCCEEDED".equals(status) && gone == 0 && failed == 0 && delivered == connections;
    }

    /** DescribeMapRun's item and child-execution counts. */
    public record MapRunCounts(String mapRunArn, String status, long itemsTotal, long itemsSucceeded, long itemsFailed,
                               long itemsPending, long itemsRunning, long childExecutionsTotal,
                               long childExecutionsSucceeded, long childExecutionsFailed) {
    }
}
