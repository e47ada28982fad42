package dev.wsfanout.local.sfn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data flow of JSONata states (AWS developer guide, "Transforming data with JSONata"): Arguments
 * and Output are templates evaluated with $states.input/.result/.errorOutput/.context; without
 * Output a state with a result outputs it, others pass their input on; Assign is evaluated with
 * the same bindings as Output.
 */
final class JsonataIO implements StateIO {

    static final JsonataIO INSTANCE = new JsonataIO();

    private JsonataIO() {
    }

    private static Map<String, Object> states(StateVisit visit, Map<String, Object> context) {
        Map<String, Object> states = new LinkedHashMap<>();
        states.put("input", visit.input());
        states.put("context", context);
        return states;
    }

    private static Object eval(StateVisit visit, Object template, Map<String, Object> states, String field) {
        return JsonataEvaluator.evaluate(template, states, visit.variables(), field);
    }

    @Override
    public Object effectiveInput(StateVisit visit) {
        return visit.input();
    }

    @Override
    public Object arguments(StateVisit visit, Object effectiveInput) {
        if (!visit.state().has("Arguments")) {
            return effectiveInput;
        }
        return eval(visit, visit.state().field("Arguments"), states(visit, visit.context()), "Arguments");
    }

    @Override
    public Object value(StateVisit visit, String field, Object effectiveInput) {
        if (!visit.state().has(field)) {
            return null;
        }
        return eval(visit, visit.state().field(field), states(visit, visit.context()), field);
    }

    @Override
    public List<Object> items(StateVisit visit, Object effectiveInput) {
        Object items = visit.state().has("Items") ? value(visit, "Items", effectiveInput) : effectiveInput;
        if (!(items instanceof List<?>)) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The Items of Map state '" + visit.state().name()
                    + "' must be a JSON array, was " + Json.typeOf(items));
        }
        return Json.asArray(items);
    }

    @Override
    public Object selectItem(StateVisit visit, Object effectiveInput, int index, Object item) {
        if (!visit.state().has("ItemSelector")) {
            return item;
        }
        return eval(visit, visit.state().field("ItemSelector"), states(visit, visit.itemContext(index, item)), "ItemSelector");
    }

    @Override
    public boolean matches(StateVisit visit, Map<String, Object> rule, Object effectiveInput) {
        Object condition = eval(visit, rule.get("Condition"), states(visit, visit.context()), "Condition");
        if (!(condition instanceof Boolean b)) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The Condition of a choice rule in state '"
                    + visit.state().name() + "' returned " + Json.typeOf(condition) + ", expected a boolean");
        }
        return b;
    }

    @Override
    public StateOutcome withResult(StateVisit visit, Object result, String next) {
        Map<String, Object> states = states(visit, visit.context());
        states.put("result", result);
        return finish(visit, visit.state().fields(), states, result, next);
    }

    @Override
    public StateOutcome passThrough(StateVisit visit, Object effectiveInput, Map<String, Object> rule, String next) {
        Map<String, Object> states = states(visit, visit.context());
        Map<String, Object> fields = new LinkedHashMap<>(visit.state().fields());
        if (rule != null) {
            // a matched choice rule's Output/Assign take the place of the state's
            for (String field : List.of("Output", "Assign")) {
                if (rule.containsKey(field)) {
                    fields.put(field, rule.get(field));
                }
            }
        }
        return finish(visit, fields, states, visit.input(), next);
    }

    @Override
    public StateOutcome caught(StateVisit visit, Catcher catcher, StatesError error) {
        Map<String, Object> states = states(visit, visit.context());
        states.put("errorOutput", error.toErrorOutput());
        return finish(visit, catcher.fields(), states, error.toErrorOutput(), catcher.next());
    }

    private StateOutcome finish(StateVisit visit, Map<String, Object> fields, Map<String, Object> states,
                                Object defaultOutput, String next) {
        Map<String, Object> assigned = Map.of();
        if (fields.containsKey("Assign")) {
            assigned = Json.asObject(eval(visit, fields.get("Assign"), states, "Assign"));
        }
        Object output = fields.containsKey("Output") ? eval(visit, fields.get("Output"), states, "Output") : defaultOutput;
        return new StateOutcome(output, next, assigned);
    }

    @Override
    public String[] failure(StateVisit visit) {
        Map<String, Object> states = states(visit, visit.context());
        Object error = visit.state().has("Error") ? eval(visit, visit.state().field("Error"), states, "Error") : null;
        Object cause = visit.state().has("Cause") ? eval(visit, visit.state().field("Cause"), states, "Cause") : null;
        return new String[] {text(error), text(cause)};
    }

    private static String text(Object value) {
        return value == null || value instanceof String ? (String) value : Json.write(value);
    }
}
