package dev.wsfanout.local.sqs;

/**
 * What one or more SQS event-source mappings have done so far.
 *
 * @param batches               invocations started
 * @param records               records handed to the function, counting redeliveries
 * @param invocationErrors      invocations that failed (handler threw, timed out, or the function could not run);
 *                              their records stay on the queue
 * @param recordsDeleted        records deleted from the queue after their batch succeeded
 * @param recordsReportedFailed records left on the queue because the function's batch response reported them,
 *                              including every record of a batch whose response Lambda would reject as a whole
 */
public record SqsEventSourceMappingCounters(long batches, long records, long invocationErrors, long recordsDeleted,
                                            long recordsReportedFailed) {

    public static final SqsEventSourceMappingCounters ZERO = new SqsEventSourceMappingCounters(0, 0, 0, 0, 0);

    public SqsEventSourceMappingCounters plus(SqsEventSourceMappingCounters other) {
        return new SqsEventSourceMappingCounters(batches + other.batches, records + other.records,
                invocationErrors + other.invocationErrors, recordsDeleted + other.recordsDeleted,
                recordsReportedFailed + other.recordsReportedFailed);
    }
}
