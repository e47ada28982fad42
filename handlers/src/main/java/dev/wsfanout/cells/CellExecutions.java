package dev.wsfanout.cells;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.JsonCodec;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Starts a cell's broadcast and waits for it, through that cell's Step Functions. A start is
 * idempotent: a retry after a lost answer finds the execution it started (the same name and
 * input), while the same name with another input is refused rather than taken for this broadcast.
 */
public final class CellExecutions {

    /** How often a wait asks the cell: DescribeExecution is throttled per account and Region by a token bucket; one call a second per broadcast stays far below it. */
    static final Duration POLL_EVERY = Duration.ofSeconds(1);

    private final CellDirectory directory;
    private final CellSfnClients clients;
    private final Clock clock;
    private final Pause pause;

    /** Waits between polls; a test's runs without real time. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    public CellExecutions(CellDirectory directory, CellSfnClients clients, Clock clock, Pause pause) {
        this.directory = directory;
        this.clients = clients;
        this.clock = clock;
        this.pause = pause;
    }

    public static CellExecutions realTime(CellDirectory directory, CellSfnClients clients) {
        return new CellExecutions(directory, clients, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    /** @return the execution's ARN */
    public String start(String cellName, String executionName, JsonNode input) {
        CellDirectory.Cell cell = directory.cell(cellName);
        SfnClient sfn = clients.client(cellName);
        try {
            return sfn.startExecution(r -> r.stateMachineArn(cell.stateMachineArn()).name(executionName)
                    .input(JsonCodec.write(input))).executionArn();
        } catch (ExecutionAlreadyExistsException used) {
            String arn = executionArn(cell, executionName);
            DescribeExecutionResponse existing = sfn.describeExecution(r -> r.executionArn(arn));
            if (!JsonCodec.readTree(existing.input()).equals(input)) {
                throw new IllegalStateException("cell " + cellName + " already ran an execution named " + executionName
                        + " with another input (" + arn + "); a cross-cell broadcast's execution name must be new");
            }
            return arn;
        }
    }

    /** How the execution stands once it has ended, or after {@code wait} if it still runs. */
    public CellStatus await(String cellName, String executionArn, Duration wait) throws InterruptedException {
        SfnClient sfn = clients.client(cellName);
        Instant until = clock.instant().plus(wait);
        while (true) {
            DescribeExecutionResponse execution = sfn.describeExecution(r -> r.executionArn(executionArn));
            String status = execution.statusAsString();
            if (!CellStatus.RUNNING.equals(status) || !clock.instant().isBefore(until)) {
                return switch (status) {
                    case CellStatus.RUNNING -> new CellStatus(cellName, status, executionArn, null, null, null);
                    case CellStatus.SUCCEEDED -> new CellStatus(cellName, status, executionArn, JsonCodec.readTree(execution.output()), null, null);
                    default -> new CellStatus(cellName, status, executionArn, null,
                            execution.error() == null ? "States." + status : execution.error(), execution.cause());
                };
            }
            pause.pause(POLL_EVERY);
        }
    }

    /** Step Functions' ARN for an execution of a state machine: the same account, Region and names. */
    static String executionArn(CellDirectory.Cell cell, String executionName) {
        return cell.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + executionName;
    }
}
