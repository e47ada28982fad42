package dev.wsfanout.local.sfn;

/**
 * One path through an execution: the main path, a Parallel branch or a Map iteration. It knows
 * its execution, the variables it sees, where it stands in the history, and what cancels it.
 */
record Branch(Execution execution, VariableScope scope, HistoryCursor cursor, Cancellation cancellation) {

    /** A nested path (Parallel branch, inline Map iteration): child scope, own cursor, own cancellation. */
    Branch nested(Cancellation siblings) {
        return new Branch(execution, scope.child(), cursor.fork(), siblings.child());
    }
}
