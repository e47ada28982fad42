package dev.wsfanout.local.sfn;

import java.time.Instant;

/**
 * An execution as DescribeExecution reports it. {@code output} is set when it succeeded,
 * {@code error}/{@code cause} when it failed, timed out or was stopped; {@code mapRunArn} for
 * child executions of a Distributed Map.
 */
public record ExecutionDescription(String executionArn, String stateMachineArn, String name, ExecutionStatus status,
                                   String input, String output, String error, String cause, Instant startDate,
                                   Instant stopDate, String mapRunArn) {
}
