package dev.wsfanout.local.sfn;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Evaluates JSONPath Choice rules (AWS developer guide, "Choice workflow state"): the String*,
 * Numeric*, Boolean*, Timestamp* comparisons (with their *Path forms), StringMatches, the Is*
 * type tests, and And/Or/Not. A comparison against a value of another type is false.
 */
final class ChoiceRules {

    /** The comparison operators of a JSONPath choice rule. */
    static final Set<String> OPERATORS = Set.of(
            "StringEquals", "StringEqualsPath", "StringLessThan", "StringLessThanPath", "StringGreaterThan", "StringGreaterThanPath",
            "StringLessThanEquals", "StringLessThanEqualsPath", "StringGreaterThanEquals", "StringGreaterThanEqualsPath", "StringMatches",
            "NumericEquals", "NumericEqualsPath", "NumericLessThan", "NumericLessThanPath", "NumericGreaterThan", "NumericGreaterThanPath",
            "NumericLessThanEquals", "NumericLessThanEqualsPath", "NumericGreaterThanEquals", "NumericGreaterThanEqualsPath",
            "BooleanEquals", "BooleanEqualsPath", "TimestampEquals", "TimestampEqualsPath", "TimestampLessThan", "TimestampLessThanPath",
            "TimestampGreaterThan", "TimestampGreaterThanPath", "TimestampLessThanEquals", "TimestampLessThanEqualsPath",
            "TimestampGreaterThanEquals", "TimestampGreaterThanEqualsPath", "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean",
            "IsTimestamp");
    private static final Set<String> COMBINATORS = Set.of("And", "Or", "Not");

    private ChoiceRules() {
    }

    /** Checks one JSONPath rule ({@code top}: a rule of Choices, which may also hold Next and Assign). */
    static void validate(DefinitionValidator validator, Map<String, Object> rule, String location, boolean top) {
        Set<String> allowed = new HashSet<>(OPERATORS);
        allowed.addAll(Set.of("Variable", "And", "Or", "Not", "Comment"));
        if (top) {
            allowed.addAll(Set.of("Next", "Assign"));
        }
        List<String> operators = new ArrayList<>();
        for (String field : rule.keySet()) {
            if (!allowed.contains(field)) {
                validator.error("SCHEMA_VALIDATION_FAILED", location + "/" + field, "The field '" + field + "' is not supported in a choice rule");
            } else if (OPERATORS.contains(field) || COMBINATORS.contains(field)) {
                operators.add(field);
            }
        }
        if (operators.size() != 1) {
            validator.error("SCHEMA_VALIDATION_FAILED", location, "A choice rule needs exactly one comparison or And/Or/Not, found " + operators);
            return;
        }
        String operator = operators.get(0);
        if (operator.equals("Not")) {
            if (rule.get("Not") instanceof Map<?, ?> inner) {
                validate(validator, Json.asObject(inner), location + "/Not", false);
            } else {
                validator.error("SCHEMA_VALIDATION_FAILED", location + "/Not", "Not must be a choice rule object");
            }
        } else if (operator.equals("And") || operator.equals("Or")) {
            if (rule.get(operator) instanceof List<?> inner && !inner.isEmpty()) {
                for (int i = 0; i < inner.size(); i++) {
                    if (inner.get(i) instanceof Map<?, ?> nested) {
                        validate(validator, Json.asObject(nested), location + "/" + operator + "/" + i, false);
                    } else {
                        validator.error("SCHEMA_VALIDATION_FAILED", location + "/" + operator + "/" + i, "must be a choice rule object");
                    }
                }
            } else {
                validator.error("SCHEMA_VALIDATION_FAILED", location + "/" + operator, operator + " must be a non-empty array of rules");
            }
        } else if (!(rule.get("Variable") instanceof String variable) || !variable.startsWith("$")) {
            validator.error("SCHEMA_VALIDATION_FAILED", location + "/Variable", "A comparison needs a Variable path starting with '$'");
        }
    }

    static boolean matches(Map<String, Object> rule, PathResolver paths) {
        if (rule.containsKey("And")) {
            return ((List<?>) rule.get("And")).stream().allMatch(r -> matches(Json.asObject(r), paths));
        }
        if (rule.containsKey("Or")) {
            return ((List<?>) rule.get("Or")).stream().anyMatch(r -> matches(Json.asObject(r), paths));
        }
        if (rule.containsKey("Not")) {
            return !matches(Json.asObject(rule.get("Not")), paths);
        }
        String variable = (String) rule.get("Variable");
        boolean present = true;
        Object value = null;
        try {
            value = paths.resolve(variable);
        } catch (JsonPath.NotFound e) {
            present = false;
        }
        for (Map.Entry<String, Object> entry : rule.entrySet()) {
            String operator = entry.getKey();
            if (operator.equals("Variable") || operator.equals("Next") || operator.equals("Comment") || operator.equals("Assign")) {
                continue;
            }
            if (operator.equals("IsPresent")) {
                return present == Boolean.TRUE.equals(entry.getValue());
            }
            if (!present) {
                throw new StatesError(StatesError.RUNTIME, "Invalid path '" + variable + "': The choice state's condition path references an invalid value.");
            }
            Object expected = entry.getValue();
            if (operator.endsWith("Path")) {
                operator = operator.substring(0, operator.length() - 4);
                try {
                    expected = paths.resolve((String) expected);
                } catch (JsonPath.NotFound e) {
                    throw new StatesError(StatesError.RUNTIME, "Invalid path '" + entry.getValue() + "' in choice rule: " + e.getMessage());
                }
            }
            return compare(operator, value, expected);
        }
        throw new StatesError(StatesError.RUNTIME, "choice rule without a comparison: " + Json.write(rule));
    }

    private static boolean compare(String operator, Object value, Object expected) {
        switch (operator) {
            case "IsNull":
                return (value == null) == Boolean.TRUE.equals(expected);
            case "IsNumeric":
                return (value instanceof Number) == Boolean.TRUE.equals(expected);
            case "IsString":
                return (value instanceof String) == Boolean.TRUE.equals(expected);
            case "IsBoolean":
                return (value instanceof Boolean) == Boolean.TRUE.equals(expected);
            case "IsTimestamp":
                return (timestamp(value) != null) == Boolean.TRUE.equals(expected);
            case "StringMatches":
                return value instanceof String s && expected instanceof String p && glob(p).matcher(s).matches();
            case "BooleanEquals":
                return value instanceof Boolean && value.equals(expected);
            default:
                break;
        }
        int comparison;
        if (operator.startsWith("String")) {
            if (!(value instanceof String a) || !(expected instanceof String b)) {
                return false;
            }
            comparison = a.compareTo(b);
        } else if (operator.startsWith("Numeric")) {
            if (!(value instanceof Number a) || !(expected instanceof Number b)) {
                return false;
            }
            comparison = Double.compare(a.doubleValue(), b.doubleValue());
        } else if (operator.startsWith("Timestamp")) {
            OffsetDateTime a = timestamp(value);
            OffsetDateTime b = timestamp(expected);
            if (a == null || b == null) {
                return false;
            }
            comparison = a.toInstant().compareTo(b.toInstant());
        } else {
            throw new StatesError(StatesError.RUNTIME, "unknown choice operator " + operator);
        }
        String relation = operator.replaceFirst("^(String|Numeric|Timestamp)", "");
        switch (relation) {
            case "Equals":
                return comparison == 0;
            case "LessThan":
                return comparison < 0;
            case "GreaterThan":
                return comparison > 0;
            case "LessThanEquals":
                return comparison <= 0;
            case "GreaterThanEquals":
                return comparison >= 0;
            default:
                throw new StatesError(StatesError.RUNTIME, "unknown choice operator " + operator);
        }
    }

    private static OffsetDateTime timestamp(Object value) {
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** StringMatches: '*' matches any run of characters; '\*' and '\\' are literal. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
