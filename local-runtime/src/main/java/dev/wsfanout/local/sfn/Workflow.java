package dev.wsfanout.local.sfn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of states with a start: the state machine itself, a Parallel branch or a Map's
 * ItemProcessor. Built from a definition that {@link DefinitionValidator} accepted.
 */
record Workflow(String startAt, Map<String, StateDefinition> states, QueryLanguage language,
                Long timeoutSeconds) {

    static Workflow parse(Map<String, Object> json, QueryLanguage inherited) {
        QueryLanguage language = QueryLanguage.of(json.get("QueryLanguage"), inherited);
        Map<String, StateDefinition> states = new LinkedHashMap<>();
        Json.asObject(json.get("States")).forEach((name, state) -> states.put(name, parseState(name, Json.asObject(state), language)));
        Object timeout = json.get("TimeoutSeconds");
        return new Workflow((String) json.get("StartAt"), Map.copyOf(states), language,
                timeout instanceof Number n ? n.longValue() : null);
    }

    private static StateDefinition parseState(String name, Map<String, Object> json, QueryLanguage inherited) {
        QueryLanguage language = QueryLanguage.of(json.get("QueryLanguage"), inherited);
        List<Retrier> retriers = new ArrayList<>();
        if (json.get("Retry") instanceof List<?> retry) {
            retry.forEach(r -> retriers.add(Retrier.of(Json.asObject(r))));
        }
        List<Catcher> catchers = new ArrayList<>();
        if (json.get("Catch") instanceof List<?> catchList) {
            catchList.forEach(c -> catchers.add(Catcher.of(Json.asObject(c))));
        }
        List<Workflow> branches = new ArrayList<>();
        if (json.get("Branches") instanceof List<?> list) {
            list.forEach(b -> branches.add(parse(Json.asObject(b), language)));
        }
        Object processor = json.containsKey("ItemProcessor") ? json.get("ItemProcessor") : json.get("Iterator");
        Workflow itemProcessor = processor == null ? null : parse(Json.asObject(processor), language);
        String type = (String) json.get("Type");
        StateSpec spec = StateSpec.byType().get(type);
        return new StateDefinition(name, type, language, json, List.copyOf(retriers),
                List.copyOf(catchers), List.copyOf(branches), itemProcessor, spec == null ? null : spec.parser().apply(json));
    }

    StateDefinition state(String name) {
        StateDefinition state = states.get(name);
        if (state == null) {
            throw new StatesError(StatesError.RUNTIME, "no state named '" + name + "'");
        }
        return state;
    }
}
