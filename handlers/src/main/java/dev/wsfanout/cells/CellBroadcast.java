package dev.wsfanout.cells;

import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.CrossCellRequest;
import dev.wsfanout.model.JsonCodec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The cellBroadcast function's work, one method per {@link CellTask}: the cross-cell state machine
 * keeps the order and the waiting; this class touches the home history table and the cells.
 */
public final class CellBroadcast {

    private final CellDirectory directory;
    private final GlobalSequence sequence;
    private final CellExecutions executions;

    public CellBroadcast(CellDirectory directory, GlobalSequence sequence, CellExecutions executions) {
        this.directory = directory;
        this.sequence = sequence;
        this.executions = executions;
    }

    /** The JSON answer the state machine reads for a task. */
    public Object run(CellTask task) throws InterruptedException {
        if (task instanceof CellTask.Prepare prepare) {
            return prepare(prepare);
        } else if (task instanceof CellTask.Claim claim) {
            return Map.of("seq", claim(claim));
        } else if (task instanceof CellTask.Start start) {
            return Map.of("executionArn", executions.start(start.cell(), start.executionName(), start.input()));
        }
        CellTask.Status status = (CellTask.Status) task;
        return executions.await(status.cell(), status.executionArn(), Duration.ofSeconds(status.waitSeconds()));
    }

    /**
     * The broadcast id (the execution's name, or the broadcast a rerun completes), the cells to
     * reach, the number a rerun gives (0 for none) and where a new number's claim starts.
     */
    private Prepared prepare(CellTask.Prepare task) {
        CrossCellRequest request;
        List<CellDirectory.Cell> cells;
        try {
            request = CrossCellRequest.fromJson(JsonCodec.write(task.input()));
            cells = directory.select(request.cells());
        } catch (IllegalArgumentException e) {
            throw new CrossCellInputException(e.getMessage());
        }
        return new Prepared(request.rerun() ? request.broadcastId() : task.executionName(),
                cells.stream().map(CellDirectory.Cell::name).toList(), request.seq(), request.rerun() ? 0 : sequence.next());
    }

    private long claim(CellTask.Claim task) {
        Instant startedAt = Instant.parse(task.startedAt());
        return task.seq() > 0 ? sequence.claimExactly(task.seq(), task.broadcastId(), startedAt)
                : sequence.claimFrom(task.from(), task.broadcastId(), startedAt);
    }

    record Prepared(String broadcastId, List<String> cells, long seq, long from) {
    }
}
