package dev.wsfanout.local.sfn;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry into a state: the state, its raw input, when it was entered, on which path, how many
 * retries preceded this attempt, and the variables as they were on entry (every expression of
 * the state reads those, even after an Assign of the same state).
 */
record StateVisit(StateDefinition state, Object input, Instant enteredTime, Branch branch, int retryCount,
                  Map<String, Object> variables) {

    static StateVisit enter(StateDefinition state, Object input, Branch branch) {
        return new StateVisit(state, input, branch.execution().time().now(), branch, 0, branch.scope().visible());
    }

    StateVisit retry(int count) {
        return new StateVisit(state, input, enteredTime, branch, count, variables);
    }

    Execution execution() {
        return branch.execution();
    }

    /** The context object ($$ in JSONPath, $states.context in JSONata). */
    Map<String, Object> context() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("Execution", execution().contextExecution());
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("Id", execution().stateMachine().arn());
        machine.put("Name", execution().stateMachine().name());
        context.put("StateMachine", machine);
        Map<String, Object> stateInfo = new LinkedHashMap<>();
        stateInfo.put("EnteredTime", ContextTimestamps.format(enteredTime));
        stateInfo.put("Name", state.name());
        stateInfo.put("RetryCount", (long) retryCount);
        context.put("State", stateInfo);
        return context;
    }

    /** The context object while a Map item is being selected: adds Map.Item.Index/Value. */
    Map<String, Object> itemContext(int index, Object item) {
        Map<String, Object> context = context();
        Map<String, Object> itemInfo = new LinkedHashMap<>();
        itemInfo.put("Index", (long) index);
        itemInfo.put("Value", item);
        context.put("Map", Map.of("Item", itemInfo));
        return context;
    }
}
