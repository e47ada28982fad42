package dev.wsfanout.local.sfn;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The field rules of one state type, kept next to the runner that owns the type (each runner's
 * {@code SPEC}): the fields it takes in both query languages, the fields only JSONPath or only
 * JSONata states take, how it leaves (Next/End, a terminal state, or Choice's rules), the
 * workflows it nests, the type's own checks (run by {@link DefinitionValidator}, which reports
 * every problem with its location), and how its fields are parsed once into typed details
 * ({@link StateDefinition#details}). Adding a field to a state type is a change to its SPEC.
 */
record StateSpec(String type, Flow flow, Set<String> anyLanguage, Set<String> jsonPathOnly, Set<String> jsonataOnly,
                 Set<String> nestedWorkflows, Check check, Function<Map<String, Object>, Object> parser) {

    /** Fields every state takes. */
    static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");

    /** How a state of the type hands over to the next one. */
    enum Flow {
        /** Next or End (both are then fields of the type). */
        NEXT_OR_END,
        /** Ends its workflow (Succeed, Fail). */
        TERMINAL,
        /** Its rules name the next state (Choice). */
        RULES
    }

    /** Where a state is being validated. */
    record Site(Map<String, Object> state, String location, Set<String> siblings, QueryLanguage language,
                QueryLanguage topLevel) {

        Object get(String field) {
            return state.get(field);
        }

        boolean has(String field) {
            return state.containsKey(field);
        }

        String at(String field) {
            return location + "/" + field;
        }
    }

    /** The checks a type adds to the common ones; problems go to {@code validator.error(...)}. */
    @FunctionalInterface
    interface Check {
        Check NONE = (validator, site) -> {
        };

        void check(DefinitionValidator validator, Site site);
    }

    StateSpec {
        if (flow == Flow.NEXT_OR_END) {
            Set<String> withTransition = new HashSet<>(anyLanguage);
            withTransition.addAll(Set.of("Next", "End"));
            anyLanguage = withTransition;
        }
        anyLanguage = Set.copyOf(anyLanguage);
        jsonPathOnly = Set.copyOf(jsonPathOnly);
        jsonataOnly = Set.copyOf(jsonataOnly);
        nestedWorkflows = Set.copyOf(nestedWorkflows);
    }

    static StateSpec of(String type, Flow flow, Set<String> anyLanguage, Set<String> jsonPathOnly, Set<String> jsonataOnly) {
        return new StateSpec(type, flow, anyLanguage, jsonPathOnly, jsonataOnly, Set.of(), Check.NONE, json -> null);
    }

    StateSpec checkedBy(Check check) {
        return new StateSpec(type, flow, anyLanguage, jsonPathOnly, jsonataOnly, nestedWorkflows, check, parser);
    }

    StateSpec nesting(Set<String> fields) {
        return new StateSpec(type, flow, anyLanguage, jsonPathOnly, jsonataOnly, fields, check, parser);
    }

    StateSpec parsedBy(Function<Map<String, Object>, Object> parser) {
        return new StateSpec(type, flow, anyLanguage, jsonPathOnly, jsonataOnly, nestedWorkflows, check, parser);
    }

    /** The language-specific fields of {@code language}. */
    Set<String> only(QueryLanguage language) {
        return language == QueryLanguage.JSONATA ? jsonataOnly : jsonPathOnly;
    }

    /** Whether a state of this type takes {@code field} in {@code language}. */
    boolean allows(String field, QueryLanguage language) {
        return COMMON.contains(field) || anyLanguage.contains(field) || only(language).contains(field);
    }

    /** Every state type, by its Type name (a holder class, so that no runner's SPEC is read while it is being built). */
    static Map<String, StateSpec> byType() {
        return Registry.BY_TYPE;
    }

    private static final class Registry {
        static final Map<String, StateSpec> BY_TYPE = Map.of(
            "Pass", PassState.SPEC,
            "Task", TaskState.SPEC,
            "Choice", ChoiceState.SPEC,
            "Wait", WaitState.SPEC,
            "Succeed", SucceedState.SPEC,
            "Fail", FailState.SPEC,
            "Parallel", ParallelState.SPEC,
            "Map", MapState.SPEC);
    }
}
