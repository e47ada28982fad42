package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Map in INLINE mode: runs the ItemProcessor once per item inside this execution (its events are
 * in this history), at most MaxConcurrency at a time (0: as many as the worker limit allows). The
 * result is the array of iteration outputs; the first failing iteration fails the state.
 */
final class InlineMapState implements StateRunner {

    private final WorkflowRunner runner;
    private final ExecutorService pool;
    private final int workerLimit;

    InlineMapState(WorkflowRunner runner, ExecutorService pool, int workerLimit) {
        this.runner = runner;
        this.pool = pool;
        this.workerLimit = workerLimit;
    }

    @Override
    public StateOutcome run(StateVisit visit) {
        StateDefinition state = visit.state();
        StateIO io = StateIO.of(state);
        Object effective = io.effectiveInput(visit);
        List<Object> items = io.items(visit, effective);
        int maxConcurrency = MapSettings.maxConcurrency(visit, io, effective);
        Branch branch = visit.branch();
        branch.cursor().record("MapStateStarted", "mapStateStartedEventDetails", "length", (long) items.size());
        Cancellation siblings = branch.cancellation().child();
        int workers = maxConcurrency == 0 ? workerLimit : Math.min(maxConcurrency, workerLimit);
        List<Object> outputs;
        try {
            outputs = BoundedFanOut.run(pool, items.size(), workers, siblings, i -> iteration(visit, effective, items, i, siblings));
        } catch (StatesError e) {
            branch.cursor().record("MapStateFailed", null);
            throw e;
        }
        branch.cursor().record("MapStateSucceeded", null);
        return io.withResult(visit, outputs, state.next());
    }

    private Object iteration(StateVisit visit, Object effective, List<Object> items, int index, Cancellation siblings) {
        Branch iteration = visit.branch().nested(siblings);
        Map<String, Object> details = Map.of("name", visit.state().name(), "index", (long) index);
        iteration.cursor().record("MapIterationStarted", "mapIterationStartedEventDetails", "name", details.get("name"), "index", details.get("index"));
        try {
            Object input = StateIO.of(visit.state()).selectItem(visit, effective, index, items.get(index));
            Object output = runner.run(visit.state().itemProcessor(), input, iteration);
            iteration.cursor().record("MapIterationSucceeded", "mapIterationSucceededEventDetails", "name", details.get("name"), "index", details.get("index"));
            return output;
        } catch (StatesError e) {
            iteration.cursor().record("MapIterationFailed", "mapIterationFailedEventDetails", "name", details.get("name"), "index", details.get("index"));
            throw e;
        }
    }
}
