package dev.wsfanout.local.sfn;

import java.time.Instant;

/**
 * A Distributed Map run as DescribeMapRun reports it. Items and child executions are counted
 * separately (with ItemBatcher one child handles many items).
 */
public record MapRunDescription(String mapRunArn, String executionArn, String status, Instant startDate, Instant stopDate,
                                int maxConcurrency, double toleratedFailurePercentage, long toleratedFailureCount,
                                Counts itemCounts, Counts executionCounts) {

    /** pending/running/succeeded/failed/timedOut/aborted/total, as in DescribeMapRun's itemCounts. */
    public record Counts(long pending, long running, long succeeded, long failed, long timedOut, long aborted, long total) {
    }
}
