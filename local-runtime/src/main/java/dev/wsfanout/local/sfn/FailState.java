package dev.wsfanout.local.sfn;

import java.util.Set;

/** Fail: fails its workflow with Error and Cause (literal, JSONata or ErrorPath/CausePath). */
final class FailState implements StateRunner {

    static final StateSpec SPEC = StateSpec.of("Fail", StateSpec.Flow.TERMINAL,
            Set.of("Error", "Cause"),
            Set.of("ErrorPath", "CausePath"),
            Set.of());

    @Override
    public StateOutcome run(StateVisit visit) {
        String[] failure = StateIO.of(visit.state()).failure(visit);
        throw new StatesError(failure[0], failure[1]);
    }
}
