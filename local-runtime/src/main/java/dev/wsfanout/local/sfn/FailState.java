package dev.wsfanout.local.sfn;

/** Fail: fails its workflow with Error and Cause (literal, JSONata or ErrorPath/CausePath). */
final class FailState implements StateRunner {

    @Override
    public StateOutcome run(StateVisit visit) {
        String[] failure = StateIO.of(visit.state()).failure(visit);
        throw new StatesError(failure[0], failure[1]);
    }
}
