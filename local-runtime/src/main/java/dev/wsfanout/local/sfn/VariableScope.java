package dev.wsfanout.local.sfn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Workflow variables (Assign) of one scope. Parallel branches and inline Map iterations get a
 * child scope that reads the outer one; a Distributed Map child execution starts a scope of its
 * own that cannot see the parent's variables (AWS developer guide, "Passing data between states
 * with variables", section "Variable scope").
 */
final class VariableScope {

    private final VariableScope parent;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private VariableScope(VariableScope parent) {
        this.parent = parent;
    }

    static VariableScope root() {
        return new VariableScope(null);
    }

    VariableScope child() {
        return new VariableScope(this);
    }

    /** Every variable visible here, inner values shadowing outer ones. */
    synchronized Map<String, Object> visible() {
        Map<String, Object> all = parent == null ? new LinkedHashMap<>() : parent.visible();
        all.putAll(values);
        return all;
    }

    /** Applies a state's assignments together, after all of them were evaluated against the old values. */
    synchronized void assign(Map<String, Object> assignments) {
        values.putAll(assignments);
    }
}
