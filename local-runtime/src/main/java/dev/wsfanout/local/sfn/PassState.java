package dev.wsfanout.local.sfn;

import java.util.Set;

/** Pass: hands its input on, or (JSONPath) its Result/Parameters placed by ResultPath. */
final class PassState implements StateRunner {

    static final StateSpec SPEC = StateSpec.of("Pass", StateSpec.Flow.NEXT_OR_END,
            Set.of("Assign"),
            Set.of("InputPath", "OutputPath", "Parameters", "ResultPath", "Result"),
            Set.of("Output"));

    @Override
    public StateOutcome run(StateVisit visit) {
        StateDefinition state = visit.state();
        StateIO io = StateIO.of(state);
        if (state.isJsonata()) {
            return io.passThrough(visit, visit.input(), null, state.next());
        }
        Object effective = io.effectiveInput(visit);
        Object result = state.has("Result") ? state.field("Result") : io.arguments(visit, effective);
        return io.withResult(visit, result, state.next());
    }
}
