package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;

/** Choice: the first matching rule's Next, else Default, else States.NoChoiceMatched. */
final class ChoiceState implements StateRunner {

    @Override
    public StateOutcome run(StateVisit visit) {
        StateDefinition state = visit.state();
        StateIO io = StateIO.of(state);
        Object effective = io.effectiveInput(visit);
        for (Object raw : (List<?>) state.field("Choices")) {
            Map<String, Object> rule = Json.asObject(raw);
            if (io.matches(visit, rule, effective)) {
                return io.passThrough(visit, effective, rule, (String) rule.get("Next"));
            }
        }
        if (state.field("Default") instanceof String fallback) {
            return io.passThrough(visit, effective, null, fallback);
        }
        throw new StatesError(StatesError.NO_CHOICE_MATCHED, "No Matches!");
    }
}
