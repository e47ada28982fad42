package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalCells;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where cross-cell broadcasts go (docs/cells.md): the home's cross-cell state machine, and, on the
 * local cells, each cell's tables for live counts while it runs (on AWS the cells are other
 * accounts, which the CLI does not reach; the audit at the end has every cell).
 */
final class CrossCellTarget implements AutoCloseable {

    private final BroadcastTarget home;
    private final List<BroadcastTarget> cells;

    private CrossCellTarget(BroadcastTarget home, List<BroadcastTarget> cells) {
        this.home = home;
        this.cells = cells;
    }

    static CrossCellTarget local(RunningStack home) {
        List<BroadcastTarget> cells = new ArrayList<>();
        home.cells().forEach(cell -> cells.add(BroadcastTarget.local(cell)));
        return new CrossCellTarget(BroadcastTarget.localStateMachine(URI.create(home.stepFunctionsEndpoint()), home.stateMachineArn()), cells);
    }

    static CrossCellTarget aws(BroadcastTarget home) {
        return new CrossCellTarget(home, List.of());
    }

    /** The cross-cell state machine: where a broadcast starts. */
    BroadcastTarget home() {
        return home;
    }

    /** Each local cell's counts of the broadcast so far; empty on AWS. */
    String progress(String broadcastId) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String cell = LocalCells.cellName(i + 1);
            parts.add(cells.get(i).records().flatMap(r -> r.read(broadcastId))
                    .map(r -> String.format(Locale.ROOT, "%s %,d/%,d", cell, r.tally().delivered(), r.tally().queued()))
                    .orElse(cell + " starting"));
        }
        return String.join(" · ", parts);
    }

    /**
     * The cross-cell audit once the execution has ended: its output, or the audit a failed
     * execution carries as its cause; empty while it runs.
     *
     * @throws CliException when it failed without an audit (its input was refused), naming why
     */
    Optional<JsonNode> audit(String executionArn) {
        DescribeExecutionResponse d = home.sfn().describeExecution(r -> r.executionArn(executionArn));
        if (d.status() == ExecutionStatus.RUNNING) {
            return Optional.empty();
        }
        if (d.status() == ExecutionStatus.SUCCEEDED) {
            return Optional.of(JsonCodec.readTree(d.output()));
        }
        try {
            JsonNode cause = JsonCodec.readTree(d.cause());
            if (cause.has("cells")) {
                return Optional.of(cause);
            }
        } catch (IllegalArgumentException notAnAudit) {
            // the cause is a sentence: the input was refused before any cell was asked
        }
        throw new CliException(CliException.FAILED, "the cross-cell broadcast " + d.name() + " " + d.statusAsString() + ": "
                + d.error() + ": " + d.cause());
    }

    @Override
    public void close() {
        home.close();
        cells.forEach(BroadcastTarget::close);
    }
}
