package dev.wsfanout.local.sfn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * Map in DISTRIBUTED mode (AWS developer guide, "Using Map state in Distributed mode"): a map run
 * whose children are separate executions of the ItemProcessor (their events are in their own
 * histories, the parent records MapRunStarted/MapRunSucceeded/MapRunFailed). Items go through
 * ItemSelector, then ItemBatcher groups them into {"Items": [...], "BatchInput": ...}. Children
 * run at most MaxConcurrency at a time (bounded by the worker limit); failures beyond
 * ToleratedFailurePercentage/ToleratedFailureCount stop the run with
 * States.ExceedToleratedFailureThreshold. The result is the array of child outputs.
 */
final class DistributedMapState implements StateRunner {

    /** AWS's concurrency for a Distributed Map without MaxConcurrency. */
    private static final int DEFAULT_MAX_CONCURRENCY = 10_000;

    private final ExecutionEngine engine;
    private final ExecutorService pool;
    private final int workerLimit;

    DistributedMapState(ExecutionEngine engine, ExecutorService pool, int workerLimit) {
        this.engine = engine;
        this.pool = pool;
        this.workerLimit = workerLimit;
    }

    @Override
    public StateOutcome run(StateVisit visit) {
        StateDefinition state = visit.state();
        StateIO io = StateIO.of(state);
        Object effective = io.effectiveInput(visit);
        List<Object> items = io.items(visit, effective);
        List<Object> selected = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            selected.add(io.selectItem(visit, effective, i, items.get(i)));
        }
        List<List<Object>> batches = ItemBatches.split(visit, effective, selected);
        Object batchInput = ItemBatches.batchInput(visit, effective);
        int declared = MapSettings.maxConcurrency(visit, io, effective);
        int maxConcurrency = declared == 0 ? DEFAULT_MAX_CONCURRENCY : declared;
        Double percentage = MapSettings.toleratedFailurePercentage(visit, io, effective);
        Long count = MapSettings.toleratedFailureCount(visit, io, effective);

        Execution parent = visit.execution();
        MapState.Settings settings = state.details(MapState.Settings.class);
        String label = settings.label() != null ? settings.label() : state.name();
        String runId = UUID.randomUUID().toString();
        String machineName = parent.stateMachine().name();
        String mapRunArn = engine.arns().mapRun(machineName, label, runId);
        MapRun run = new MapRun(mapRunArn, parent.arn(), declared, percentage, count, items.size(), batches.size(), parent.time());
        engine.store().putMapRun(run);
        StateMachine childMachine = engine.childStateMachine(parent.stateMachine(), label, state.itemProcessor(), settings.executionType());

        HistoryCursor cursor = visit.branch().cursor();
        cursor.record("MapStateStarted", "mapStateStartedEventDetails", "length", (long) items.size());
        cursor.record("MapRunStarted", "mapRunStartedEventDetails", "mapRunArn", mapRunArn);
        Cancellation children = visit.branch().cancellation().child();
        List<Object> outputs;
        try {
            outputs = BoundedFanOut.run(pool, batches.size(), Math.min(maxConcurrency, workerLimit), children, i -> {
                List<Object> batch = batches.get(i);
                Object input = settings.batched() ? batchOf(batch, batchInput) : batch.get(0);
                String childName = runId.substring(0, 8) + "-" + i;
                Execution child = engine.newChild(childMachine, childName, runId, input, mapRunArn, parent, children);
                run.childStarted(batch.size());
                try {
                    Object output = engine.runChild(child, state.itemProcessor());
                    run.childSucceeded(batch.size());
                    return output;
                } catch (StatesError e) {
                    boolean timedOut = child.status() == ExecutionStatus.TIMED_OUT;
                    if (timedOut ? run.childTimedOut(batch.size()) : run.childFailed(batch.size())) {
                        throw new StatesError(StatesError.EXCEED_TOLERATED_FAILURE_THRESHOLD,
                                "The specified tolerated failure threshold was exceeded");
                    }
                    return e.toErrorOutput();
                } catch (Cancellation.Cancelled e) {
                    run.childAborted(batch.size());
                    throw e;
                }
            });
        } catch (StatesError e) {
            run.finish("FAILED");
            cursor.record("MapRunFailed", "mapRunFailedEventDetails", "error", e.error(), "cause", e.cause());
            cursor.record("MapStateFailed", null);
            throw e;
        } catch (Cancellation.Cancelled e) {
            run.finish("ABORTED");
            throw e;
        }
        run.finish("SUCCEEDED");
        cursor.record("MapRunSucceeded", null);
        cursor.record("MapStateSucceeded", null);
        return io.withResult(visit, outputs, state.next());
    }

    private static Map<String, Object> batchOf(List<Object> batch, Object batchInput) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("Items", batch);
        if (batchInput != null) {
            input.put("BatchInput", batchInput);
        }
        return input;
    }
}
