package dev.wsfanout.local.sfn;

/** What one state type does once entered; the {@link WorkflowRunner} around it records entry/exit and applies Retry/Catch. */
interface StateRunner {

    /** @throws StatesError when the state fails */
    StateOutcome run(StateVisit visit);
}
