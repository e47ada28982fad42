package dev.wsfanout.local.sfn;

import com.dashjoin.jsonata.Jsonata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the JSONata fields of a state. A field value is a template: strings written as
 * {@code {% expression %}} are evaluated (with {@code $states} and the visible workflow
 * variables bound), objects and arrays are walked, everything else is literal. An expression that
 * fails or yields undefined (JSON has no such value) raises States.QueryEvaluationError naming
 * the field.
 */
final class JsonataEvaluator {

    private JsonataEvaluator() {
    }

    /**
     * @param states    the {@code $states} object: input, context and, where available, result/errorOutput
     * @param variables the workflow variables visible to the state
     * @param field     the field being evaluated, for error messages ("Arguments", "Output", ...)
     */
    static Object evaluate(Object template, Map<String, Object> states, Map<String, Object> variables, String field) {
        if (isExpression(template)) {
            return expression((String) template, states, variables, field);
        }
        if (template instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), evaluate(v, states, variables, field + "/" + k)));
            return out;
        }
        if (template instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(evaluate(list.get(i), states, variables, field + "/" + i));
            }
            return out;
        }
        return template;
    }

    static boolean isExpression(Object value) {
        return value instanceof String text && text.startsWith("{%") && text.endsWith("%}");
    }

    private static Object expression(String text, Map<String, Object> states, Map<String, Object> variables, String field) {
        String source = text.substring(2, text.length() - 2).trim();
        try {
            Jsonata expression = Jsonata.jsonata(source);
            // keeps JSON null (NULL_VALUE) apart from undefined (Java null)
            expression.setOutputConvertNulls(false);
            Jsonata.Frame frame = expression.createFrame();
            AwsJsonataFunctions.bindAll(frame);
            variables.forEach((name, value) -> frame.bind(name, value == null ? Jsonata.NULL_VALUE : value));
            frame.bind("states", (Object) states);
            Object result = expression.evaluate(states.get("input"), frame);
            if (result == null) {
                throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + source
                        + "' specified for the field '" + field + "' returned nothing (undefined), and JSON has no undefined value");
            }
            return Json.normalize(result);
        } catch (StatesError e) {
            throw e;
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + source
                    + "' specified for the field '" + field + "' threw an error: " + message);
        }
    }
}
