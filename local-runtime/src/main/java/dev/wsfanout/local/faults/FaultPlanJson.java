package dev.wsfanout.local.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * A fault plan's JSON form, read field by field rather than bound to a class, so that every error can name
 * the rule, the field and the value: a plan is hand-written, often at the command line.
 */
final class FaultPlanJson {

    private static final List<String> PLAN_FIELDS = List.of("seed", "rules");
    private static final List<String> RULE_FIELDS = List.of("service", "operation", "resource", "bodyContains",
            "fault", "probability", "nth", "every", "times", "holdMillis");

    private FaultPlanJson() {
    }

    static FaultPlan parse(String json) {
        JsonNode root;
        try {
            root = JsonCodec.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("fault plan is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("fault plan is empty");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("fault plan must be a JSON object, was " + root);
        }
        try {
            rejectUnknownFields(root, PLAN_FIELDS);
            FaultPlan.Builder plan = FaultPlan.builder();
            if (root.has("seed")) {
                plan.seed(wholeNumber(root, "seed"));
            }
            JsonNode rules = root.get("rules");
            if (rules != null && !rules.isArray()) {
                throw new IllegalArgumentException("rules must be an array, was " + rules);
            }
            for (int i = 0; rules != null && i < rules.size(); i++) {
                plan.rule(rule(rules.get(i), i));
            }
            return plan.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault plan: " + e.getMessage(), e);
        }
    }

    private static FaultRule rule(JsonNode node, int index) {
        try {
            if (!node.isObject()) {
                throw new IllegalArgumentException("must be an object, was " + node);
            }
            rejectUnknownFields(node, RULE_FIELDS);
            if (!node.has("fault")) {
                throw new IllegalArgumentException("fault is required");
            }
            FaultRule.Builder rule = FaultRule.builder().fault(FaultKind.fromJsonName(text(node, "fault")));
            if (node.has("service")) {
                rule.service(AwsService.fromJsonName(text(node, "service")));
            }
            if (node.has("operation")) {
                rule.operation(text(node, "operation"));
            }
            if (node.has("resource")) {
                rule.resource(text(node, "resource"));
            }
            if (node.has("bodyContains")) {
                rule.bodyContains(text(node, "bodyContains"));
            }
            if (node.has("probability")) {
                rule.probability(number(node, "probability"));
            }
            if (node.has("nth")) {
                rule.nth(integer(node, "nth"));
            }
            if (node.has("every")) {
                rule.every(integer(node, "every"));
            }
            if (node.has("times")) {
                rule.times(integer(node, "times"));
            }
            if (node.has("holdMillis")) {
                rule.hold(Duration.ofMillis(wholeNumber(node, "holdMillis")));
            }
            return rule.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rules[" + index + "]: " + e.getMessage(), e);
        }
    }

    private static void rejectUnknownFields(JsonNode object, List<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + name + "\" (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, was " + value);
        }
        return value.textValue();
    }

    private static double number(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (!value.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number, was " + value);
        }
        return value.doubleValue();
    }

    private static int integer(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be a whole number up to " + Integer.MAX_VALUE + ", was " + value);
        }
        return value.intValue();
    }

    private static long wholeNumber(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be a whole number, was " + value);
        }
        return value.longValue();
    }
}
