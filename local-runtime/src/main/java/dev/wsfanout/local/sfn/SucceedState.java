package dev.wsfanout.local.sfn;

import java.util.Set;

/** Succeed: ends its workflow successfully with its (filtered) input. */
final class SucceedState implements StateRunner {

    static final StateSpec SPEC = StateSpec.of("Succeed", StateSpec.Flow.TERMINAL,
            Set.of(),
            Set.of("InputPath", "OutputPath"),
            Set.of("Output"));

    @Override
    public StateOutcome run(StateVisit visit) {
        StateIO io = StateIO.of(visit.state());
        return io.passThrough(visit, io.effectiveInput(visit), null, null);
    }
}
