package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Parallel: runs every branch on its own path with the same input; the result is the array of
 * branch outputs. The first failing branch stops the others and its error becomes the state's.
 */
final class ParallelState implements StateRunner {

    static final StateSpec SPEC = StateSpec.of("Parallel", StateSpec.Flow.NEXT_OR_END,
                    Set.of("Assign", "Branches", "Retry", "Catch"),
                    Set.of("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath"),
                    Set.of("Arguments", "Output"))
            .nesting(Set.of("Branches"))
            .checkedBy(ParallelState::validate);

    /** The fields of one branch. */
    static final Set<String> BRANCH_FIELDS = Set.of("Comment", "StartAt", "States");

    /** Branches: a non-empty array of workflows, each validated like the machine's own. */
    private static void validate(DefinitionValidator validator, StateSpec.Site site) {
        if (!(site.get("Branches") instanceof List<?> branches) || branches.isEmpty()) {
            validator.error("SCHEMA_VALIDATION_FAILED", site.at("Branches"), "Branches must be a non-empty array");
            return;
        }
        for (int i = 0; i < branches.size(); i++) {
            if (branches.get(i) instanceof Map<?, ?> branch) {
                validator.workflow(Json.asObject(branch), site.at("Branches/" + i), BRANCH_FIELDS, site.language(), site.topLevel());
            } else {
                validator.error("SCHEMA_VALIDATION_FAILED", site.at("Branches/" + i), "A branch must be an object");
            }
        }
    }

    private final WorkflowRunner runner;
    private final ExecutorService pool;

    ParallelState(WorkflowRunner runner, ExecutorService pool) {
        this.runner = runner;
        this.pool = pool;
    }

    @Override
    public StateOutcome run(StateVisit visit) {
        StateDefinition state = visit.state();
        StateIO io = StateIO.of(state);
        Object input = io.arguments(visit, io.effectiveInput(visit));
        if (visit.execution().quotas().payloadTooLarge(Json.write(input))) {
            throw StatesError.terminal(StatesError.DATA_LIMIT_EXCEEDED, Quotas.dataLimitCause(state.name()));
        }
        Branch branch = visit.branch();
        branch.cursor().record("ParallelStateStarted", null);
        Cancellation siblings = branch.cancellation().child();
        List<Workflow> branches = state.branches();
        List<Object> outputs;
        try {
            outputs = BoundedFanOut.run(pool, branches.size(), branches.size(), siblings,
                    i -> runner.run(branches.get(i), input, branch.nested(siblings)));
        } catch (StatesError e) {
            branch.cursor().record("ParallelStateFailed", null);
            throw e;
        }
        branch.cursor().record("ParallelStateSucceeded", null);
        return io.withResult(visit, outputs, state.next());
    }
}
