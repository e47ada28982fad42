package dev.wsfanout.local.sfn;

/** Succeed: ends its workflow successfully with its (filtered) input. */
final class SucceedState implements StateRunner {

    @Override
    public StateOutcome run(StateVisit visit) {
        StateIO io = StateIO.of(visit.state());
        return io.passThrough(visit, io.effectiveInput(visit), null, null);
    }
}
