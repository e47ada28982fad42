package dev.wsfanout.local.sfn;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Walks a workflow from StartAt to its end on one path: records each state's Entered/Exited
 * events, applies assignments on exit, and handles errors with the state's Retry rules (the first
 * matching retrier decides; each retrier counts its own attempts) and then its Catch rules
 * (AWS developer guide, "Handling errors in Step Functions workflows").
 */
final class WorkflowRunner {

    private final Map<String, StateRunner> runners;

    /** @param runners by state type; "Map" is the inline runner, "DistributedMap" the distributed one */
    WorkflowRunner(Map<String, StateRunner> runners) {
        this.runners = runners;
    }

    /** Runs {@code workflow} to its end and returns its output; throws the {@link StatesError} that ended it otherwise. */
    Object run(Workflow workflow, Object input, Branch branch) {
        String name = workflow.startAt();
        Object data = input;
        while (true) {
            branch.cancellation().check();
            StateOutcome outcome = runState(workflow.state(name), data, branch);
            if (outcome.next() == null) {
                return outcome.output();
            }
            name = outcome.next();
            data = outcome.output();
        }
    }

    private StateRunner runnerFor(StateDefinition state) {
        if (state.type().equals("Map") && state.itemProcessor() != null && state.details(MapState.Settings.class).distributed()) {
            return runners.get("DistributedMap");
        }
        return runners.get(state.type());
    }

    private StateOutcome runState(StateDefinition state, Object input, Branch branch) {
        branch.cursor().record(state.type() + "StateEntered", "stateEnteredEventDetails", "name", state.name(),
                "input", Json.write(input), "inputDetails", Map.of("truncated", false));
        StateVisit visit = StateVisit.enter(state, input, branch);
        StateRunner runner = runnerFor(state);
        int[] attempts = new int[state.retriers().size()];
        int retries = 0;
        while (true) {
            try {
                StateOutcome outcome = runner.run(visit);
                exit(state, outcome, branch);
                return outcome;
            } catch (StatesError error) {
                if (error.isTerminal()) {
                    // no Retry or Catch handles it: the execution fails right after this state's Entered event
                    throw error;
                }
                if (StatesError.QUERY_EVALUATION_ERROR.equals(error.error())) {
                    branch.cursor().record("EvaluationFailed", "evaluationFailedEventDetails", "error", error.error(),
                            "cause", error.cause(), "state", state.name());
                }
                int index = firstMatching(state, error);
                if (index >= 0 && attempts[index] < state.retriers().get(index).maxAttempts()) {
                    Retrier retrier = state.retriers().get(index);
                    attempts[index]++;
                    retries++;
                    double delay = retrier.delaySeconds(attempts[index]);
                    if (retrier.fullJitter()) {
                        delay = ThreadLocalRandom.current().nextDouble() * delay;
                    }
                    TimeSource time = branch.execution().time();
                    branch.cancellation().sleep(time.realNanos(Duration.ofNanos((long) (delay * 1e9))));
                    visit = visit.retry(retries);
                    continue;
                }
                for (Catcher catcher : state.catchers()) {
                    if (catcher.matches(error)) {
                        StateOutcome outcome = StateIO.of(state).caught(visit, catcher, error);
                        exit(state, outcome, branch);
                        return outcome;
                    }
                }
                throw error;
            }
        }
    }

    private static int firstMatching(StateDefinition state, StatesError error) {
        for (int i = 0; i < state.retriers().size(); i++) {
            if (state.retriers().get(i).matches(error)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Records the state's Exited event and applies its assignments. An output over the payload
     * quota fails the execution instead (terminal States.DataLimitExceeded, no Exited event).
     */
    private static void exit(StateDefinition state, StateOutcome outcome, Branch branch) {
        String output = Json.write(outcome.output());
        if (branch.execution().quotas().payloadTooLarge(output)) {
            throw StatesError.terminal(StatesError.DATA_LIMIT_EXCEEDED, Quotas.dataLimitCause(state.name()));
        }
        Map<String, Object> assigned = null;
        if (!outcome.assigned().isEmpty()) {
            branch.scope().assign(outcome.assigned());
            assigned = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : outcome.assigned().entrySet()) {
                assigned.put(entry.getKey(), Json.write(entry.getValue()));
            }
        }
        branch.cursor().record(state.type() + "StateExited", "stateExitedEventDetails", "name", state.name(),
                "output", output, "outputDetails", Map.of("truncated", false),
                "assignedVariables", assigned, "assignedVariablesDetails", assigned == null ? null : Map.of("truncated", false));
    }
}
