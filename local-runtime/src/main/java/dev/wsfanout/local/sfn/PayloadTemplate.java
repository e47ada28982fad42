package dev.wsfanout.local.sfn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSONPath state's payload template (Parameters, ItemSelector, ResultSelector, Assign): members
 * whose name ends in ".$" take the value of a path or an intrinsic function, the rest are
 * literal. A path that finds nothing raises States.ParameterPathFailure naming the member.
 */
final class PayloadTemplate {

    private PayloadTemplate() {
    }

    static Object apply(Object template, PathResolver paths, String field) {
        if (template instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (key.endsWith(".$") && v instanceof String expression) {
                    out.put(key.substring(0, key.length() - 2), resolve(expression, paths, field + "/" + key));
                } else {
                    out.put(key, apply(v, paths, field + "/" + key));
                }
            });
            return out;
        }
        if (template instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(apply(v, paths, field)));
            return out;
        }
        return template;
    }

    private static Object resolve(String expression, PathResolver paths, String field) {
        if (IntrinsicFunctions.isIntrinsic(expression)) {
            return IntrinsicFunctions.evaluate(expression, paths);
        }
        try {
            return paths.resolve(expression);
        } catch (JsonPath.NotFound e) {
            throw new StatesError(StatesError.PARAMETER_PATH_FAILURE, "The JSONPath '" + expression
                    + "' specified for the field '" + field + "' could not be found in the input: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new StatesError(StatesError.PARAMETER_PATH_FAILURE, "The value of the field '" + field + "' is not a valid path: " + e.getMessage());
        }
    }
}
