package dev.wsfanout.local.sfn;

import java.time.Instant;

/**
 * The live counters of one Distributed Map run. Items and child executions are counted apart
 * because a batched child carries several items.
 */
final class MapRun {

    private final String arn;
    private final String executionArn;
    private final Instant startDate;
    private final int maxConcurrency;
    /** Null when the state sets no percentage (likewise the count); with neither, any failure is too many. */
    private final Double toleratedFailurePercentage;
    private final Long toleratedFailureCount;
    private final TimeSource time;
    private final long totalItems;
    private final long totalExecutions;

    private String status = "RUNNING";
    private Instant stopDate;
    private long runningItems;
    private long succeededItems;
    private long failedItems;
    private long timedOutItems;
    private long abortedItems;
    private long runningExecutions;
    private long succeededExecutions;
    private long failedExecutions;
    private long timedOutExecutions;
    private long abortedExecutions;

    MapRun(String arn, String executionArn, int maxConcurrency, Double toleratedFailurePercentage, Long toleratedFailureCount,
           long totalItems, long totalExecutions, TimeSource time) {
        this.arn = arn;
        this.executionArn = executionArn;
        this.maxConcurrency = maxConcurrency;
        this.toleratedFailurePercentage = toleratedFailurePercentage;
        this.toleratedFailureCount = toleratedFailureCount;
        this.totalItems = totalItems;
        this.totalExecutions = totalExecutions;
        this.time = time;
        this.startDate = time.now();
    }

    String arn() {
        return arn;
    }

    synchronized void childStarted(int items) {
        runningItems += items;
        runningExecutions++;
    }

    synchronized void childSucceeded(int items) {
        runningItems -= items;
        succeededItems += items;
        runningExecutions--;
        succeededExecutions++;
    }

    /** Counts a failed child; returns whether the failures now exceed the tolerated threshold. */
    synchronized boolean childFailed(int items) {
        runningItems -= items;
        failedItems += items;
        runningExecutions--;
        failedExecutions++;
        return overThreshold();
    }

    /** A child that ran out of its Express time: counted as timedOut, and against the tolerated failures like a failure. */
    synchronized boolean childTimedOut(int items) {
        runningItems -= items;
        timedOutItems += items;
        runningExecutions--;
        timedOutExecutions++;
        return overThreshold();
    }

    private boolean overThreshold() {
        if (toleratedFailurePercentage == null && toleratedFailureCount == null) {
            return true;
        }
        long failures = failedItems + timedOutItems;
        // either threshold, when set, fails the run once exceeded
        return toleratedFailurePercentage != null && failures * 100.0 / totalItems > toleratedFailurePercentage
                || toleratedFailureCount != null && failures > toleratedFailureCount;
    }

    synchronized void childAborted(int items) {
        runningItems -= items;
        abortedItems += items;
        runningExecutions--;
        abortedExecutions++;
    }

    synchronized void finish(String finalStatus) {
        if (status.equals("RUNNING")) {
            status = finalStatus;
            stopDate = time.now();
        }
    }

    synchronized MapRunDescription describe() {
        long pendingItems = totalItems - runningItems - succeededItems - failedItems - timedOutItems - abortedItems;
        long pendingExecutions = totalExecutions - runningExecutions - succeededExecutions - failedExecutions - timedOutExecutions
                - abortedExecutions;
        return new MapRunDescription(arn, executionArn, status, startDate, stopDate, maxConcurrency,
                toleratedFailurePercentage == null ? 0 : toleratedFailurePercentage,
                toleratedFailureCount == null ? 0 : toleratedFailureCount,
                new MapRunDescription.Counts(pendingItems, runningItems, succeededItems, failedItems, timedOutItems, abortedItems, totalItems),
                new MapRunDescription.Counts(pendingExecutions, runningExecutions, succeededExecutions, failedExecutions,
                        timedOutExecutions, abortedExecutions, totalExecutions));
    }
}
