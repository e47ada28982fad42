package dev.wsfanout.local.sfn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data flow of JSONPath states (AWS developer guide, "Processing input and output in Step
 * Functions"): InputPath, then Parameters/ItemSelector; the result through ResultSelector, placed
 * by ResultPath into the raw input, then OutputPath. {@code null} InputPath/OutputPath mean {},
 * a {@code null} ResultPath discards the result.
 */
final class JsonPathIO implements StateIO {

    static final JsonPathIO INSTANCE = new JsonPathIO();

    private JsonPathIO() {
    }

    private static PathResolver resolver(StateVisit visit, Object data) {
        return new PathResolver(data, visit.context(), visit.variables());
    }

    private static Object path(StateVisit visit, String field, Object data) {
        if (!visit.state().has(field)) {
            return data;
        }
        Object path = visit.state().field(field);
        if (path == null) {
            return new LinkedHashMap<String, Object>();
        }
        try {
            return resolver(visit, data).resolve((String) path);
        } catch (JsonPath.NotFound e) {
            throw new StatesError(StatesError.RUNTIME, "An error occurred while executing the state '" + visit.state().name()
                    + "'. Invalid path '" + path + "' in " + field + ": " + e.getMessage());
        }
    }

    @Override
    public Object effectiveInput(StateVisit visit) {
        return path(visit, "InputPath", visit.input());
    }

    @Override
    public Object arguments(StateVisit visit, Object effectiveInput) {
        if (!visit.state().has("Parameters")) {
            return effectiveInput;
        }
        return PayloadTemplate.apply(visit.state().field("Parameters"), resolver(visit, effectiveInput), "Parameters");
    }

    @Override
    public Object value(StateVisit visit, String field, Object effectiveInput) {
        if (visit.state().has(field)) {
            return visit.state().field(field);
        }
        if (visit.state().has(field + "Path")) {
            Object data = field.equals("Error") || field.equals("Cause") ? visit.input() : effectiveInput;
            try {
                return resolver(visit, data).resolve((String) visit.state().field(field + "Path"));
            } catch (JsonPath.NotFound e) {
                throw new StatesError(StatesError.RUNTIME, "An error occurred while executing the state '" + visit.state().name()
                        + "'. Invalid path in " + field + "Path: " + e.getMessage());
            }
        }
        return null;
    }

    @Override
    public List<Object> items(StateVisit visit, Object effectiveInput) {
        Object items = visit.state().has("ItemsPath") ? value(visit, "Items", effectiveInput) : effectiveInput;
        if (!(items instanceof List<?>)) {
            throw new StatesError(StatesError.RUNTIME, "An error occurred while executing the state '" + visit.state().name()
                    + "'. The ItemsPath must select a JSON array, found " + Json.typeOf(items));
        }
        return Json.asArray(items);
    }

    @Override
    public Object selectItem(StateVisit visit, Object effectiveInput, int index, Object item) {
        String field = visit.state().has("ItemSelector") ? "ItemSelector" : visit.state().has("Parameters") ? "Parameters" : null;
        if (field == null) {
            return item;
        }
        PathResolver paths = new PathResolver(effectiveInput, visit.itemContext(index, item), visit.variables());
        return PayloadTemplate.apply(visit.state().field(field), paths, field);
    }

    @Override
    public boolean matches(StateVisit visit, Map<String, Object> rule, Object effectiveInput) {
        return ChoiceRules.matches(rule, resolver(visit, effectiveInput));
    }

    @Override
    public StateOutcome withResult(StateVisit visit, Object result, String next) {
        Object selected = visit.state().has("ResultSelector")
                ? PayloadTemplate.apply(visit.state().field("ResultSelector"), resolver(visit, result), "ResultSelector")
                : result;
        Map<String, Object> assigned = assign(visit, visit.state().fields(), selected);
        Object combined = placeResult(visit, visit.state().fields(), selected);
        return new StateOutcome(path(visit, "OutputPath", combined), next, assigned);
    }

    @Override
    public StateOutcome passThrough(StateVisit visit, Object effectiveInput, Map<String, Object> rule, String next) {
        Map<String, Object> fields = rule != null && rule.containsKey("Assign") ? rule : visit.state().fields();
        Map<String, Object> assigned = assign(visit, fields, effectiveInput);
        return new StateOutcome(path(visit, "OutputPath", effectiveInput), next, assigned);
    }

    @Override
    public StateOutcome caught(StateVisit visit, Catcher catcher, StatesError error) {
        Map<String, Object> errorOutput = error.toErrorOutput();
        Map<String, Object> assigned = assign(visit, catcher.fields(), errorOutput);
        return new StateOutcome(placeResult(visit, catcher.fields(), errorOutput), catcher.next(), assigned);
    }

    private Object placeResult(StateVisit visit, Map<String, Object> fields, Object result) {
        if (!fields.containsKey("ResultPath")) {
            return result;
        }
        Object resultPath = fields.get("ResultPath");
        if (resultPath == null) {
            return visit.input();
        }
        try {
            return JsonPath.parse((String) resultPath).write(visit.input(), result);
        } catch (JsonPath.NotFound | IllegalArgumentException | IllegalStateException e) {
            throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "An error occurred while executing the state '"
                    + visit.state().name() + "'. " + e.getMessage());
        }
    }

    private static Map<String, Object> assign(StateVisit visit, Map<String, Object> fields, Object data) {
        if (!fields.containsKey("Assign")) {
            return Map.of();
        }
        return Json.asObject(PayloadTemplate.apply(fields.get("Assign"), resolver(visit, data), "Assign"));
    }

    @Override
    public String[] failure(StateVisit visit) {
        Object error = value(visit, "Error", visit.input());
        Object cause = value(visit, "Cause", visit.input());
        return new String[] {error == null ? null : String.valueOf(error), cause == null ? null : String.valueOf(cause)};
    }
}
