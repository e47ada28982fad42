package dev.wsfanout.local.sfn;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.TreeSet;

/**
 * Checks a definition the way ValidateStateMachineDefinition does, collecting every problem as a
 * {@link Diagnostic} that names the state and field (location "/States/Foo/Next"): unknown and
 * wrong-language fields, missing or dangling transitions, unreachable states, malformed
 * Retry/Catch, unknown Task resources, JSONata that does not parse.
 */
public final class DefinitionValidator {

    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> TYPES = Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map");
    private static final Set<String> TRANSITIONING = Set.of("Pass", "Task", "Wait", "Parallel", "Map");
    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");

    /** Fields each type accepts in both languages. */
    private static final Map<String, Set<String>> ANY_LANGUAGE = Map.of(
            "Pass", Set.of("Next", "End", "Assign"),
            "Task", Set.of("Next", "End", "Assign", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Retry", "Catch", "Credentials"),
            "Choice", Set.of("Choices", "Default", "Assign"),
            "Wait", Set.of("Next", "End", "Assign", "Seconds", "Timestamp"),
            "Succeed", Set.of(),
            "Fail", Set.of("Error", "Cause"),
            "Parallel", Set.of("Next", "End", "Assign", "Branches", "Retry", "Catch"),
            "Map", Set.of("Next", "End", "Assign", "ItemProcessor", "Iterator", "ItemReader", "ItemSelector", "ItemBatcher",
                    "ResultWriter", "MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label", "Retry", "Catch"));

    private static final Map<String, Set<String>> JSONPATH_ONLY = Map.of(
            "Pass", Set.of("InputPath", "OutputPath", "Parameters", "ResultPath", "Result"),
            "Task", Set.of("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "TimeoutSecondsPath", "HeartbeatSecondsPath"),
            "Choice", Set.of("InputPath", "OutputPath"),
            "Wait", Set.of("InputPath", "OutputPath", "SecondsPath", "TimestampPath"),
            "Succeed", Set.of("InputPath", "OutputPath"),
            "Fail", Set.of("ErrorPath", "CausePath"),
            "Parallel", Set.of("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath"),
            "Map", Set.of("InputPath", "OutputPath", "ItemsPath", "Parameters", "ResultSelector", "ResultPath", "MaxConcurrencyPath",
                    "ToleratedFailurePercentagePath", "ToleratedFailureCountPath"));

    private static final Map<String, Set<String>> JSONATA_ONLY = Map.of(
            "Pass", Set.of("Output"),
            "Task", Set.of("Arguments", "Output"),
            "Choice", Set.of("Output"),
            "Wait", Set.of("Output"),
            "Succeed", Set.of("Output"),
            "Fail", Set.of(),
            "Parallel", Set.of("Arguments", "Output"),
            "Map", Set.of("Items", "Output"));

    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
            "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment");
    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage");
    private static final Set<String> BRANCH_FIELDS = Set.of("Comment", "StartAt", "States");
    private static final Set<String> PROCESSOR_FIELDS = Set.of("Comment", "StartAt", "States", "ProcessorConfig");
    private static final Set<String> CHOICE_OPERATORS = Set.of(
            "StringEquals", "StringEqualsPath", "StringLessThan", "StringLessThanPath", "StringGreaterThan", "StringGreaterThanPath",
            "StringLessThanEquals", "StringLessThanEqualsPath", "StringGreaterThanEquals", "StringGreaterThanEqualsPath", "StringMatches",
            "NumericEquals", "NumericEqualsPath", "NumericLessThan", "NumericLessThanPath", "NumericGreaterThan", "NumericGreaterThanPath",
            "NumericLessThanEquals", "NumericLessThanEqualsPath", "NumericGreaterThanEquals", "NumericGreaterThanEqualsPath",
            "BooleanEquals", "BooleanEqualsPath", "TimestampEquals", "TimestampEqualsPath", "TimestampLessThan", "TimestampLessThanPath",
            "TimestampGreaterThan", "TimestampGreaterThanPath", "TimestampLessThanEquals", "TimestampLessThanEqualsPath",
            "TimestampGreaterThanEquals", "TimestampGreaterThanEqualsPath", "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean",
            "IsTimestamp");

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,79}");

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, String> stateLocations = new HashMap<>();

    private DefinitionValidator() {
    }

    /** All problems in {@code definition}; an empty list means it is valid. */
    public static List<Diagnostic> validate(String definition) {
        DefinitionValidator validator = new DefinitionValidator();
        if (definition == null || definition.isBlank()) {
            validator.error("MISSING_DESCRIPTION", "/", "The definition is empty");
            return validator.diagnostics;
        }
        Object json;
        try {
            json = Json.normalize(STRICT.readValue(definition, Object.class));
        } catch (JsonProcessingException e) {
            String code = e.getOriginalMessage().startsWith("Duplicate field") ? "DUPLICATE_STATE_NAME" : "INVALID_JSON_DESCRIPTION";
            validator.error(code, "/", e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
            return validator.diagnostics;
        }
        if (!(json instanceof Map)) {
            validator.error("SCHEMA_VALIDATION_FAILED", "/", "The definition must be a JSON object, was " + Json.typeOf(json));
            return validator.diagnostics;
        }
        Map<String, Object> root = Json.asObject(json);
        QueryLanguage language = QueryLanguage.JSONPATH;
        Object declared = root.get("QueryLanguage");
        if (declared != null) {
            try {
                language = QueryLanguage.of(declared, QueryLanguage.JSONPATH);
            } catch (IllegalArgumentException e) {
                validator.error("SCHEMA_VALIDATION_FAILED", "/QueryLanguage", e.getMessage());
            }
        }
        if (root.containsKey("TimeoutSeconds") && !validator.isPositiveInteger(root.get("TimeoutSeconds"))) {
            validator.error("SCHEMA_VALIDATION_FAILED", "/TimeoutSeconds", "TimeoutSeconds must be a positive integer");
        }
        validator.workflow(root, "", TOP_LEVEL_FIELDS, language, language);
        return validator.diagnostics;
    }

    private void error(String code, String location, String message) {
        diagnostics.add(Diagnostic.error(code, location, message));
    }

    private void workflow(Map<String, Object> json, String prefix, Set<String> allowed, QueryLanguage language,
                          QueryLanguage topLevel) {
        for (String field : json.keySet()) {
            if (!allowed.contains(field)) {
                error("SCHEMA_VALIDATION_FAILED", prefix + "/" + field, "The field '" + field + "' is not supported by Step Functions");
            }
        }
        Object states = json.get("States");
        if (!(states instanceof Map<?, ?> stateMap) || stateMap.isEmpty()) {
            error("SCHEMA_VALIDATION_FAILED", prefix + "/States", "These fields are required: [States] (a non-empty object)");
            return;
        }
        Object startAt = json.get("StartAt");
        if (!(startAt instanceof String start)) {
            error("SCHEMA_VALIDATION_FAILED", prefix + "/StartAt", "These fields are required: [StartAt] (a state name)");
        } else if (!stateMap.containsKey(start)) {
            error("MISSING_TRANSITION_TARGET", prefix + "/StartAt", "Missing 'StartAt' target: " + start);
        }
        Map<String, Object> named = Json.asObject(states);
        boolean terminal = false;
        for (Map.Entry<String, Object> entry : named.entrySet()) {
            String location = prefix + "/States/" + entry.getKey();
            String earlier = stateLocations.putIfAbsent(entry.getKey(), location);
            if (earlier != null) {
                error("DUPLICATE_STATE_NAME", location, "Duplicate State name: " + entry.getKey() + " (also at " + earlier + ")");
            }
            if (entry.getKey().isEmpty() || entry.getKey().length() > 80) {
                error("INVALID_STATE_NAME", location, "State names must be 1 to 80 characters long");
            }
            if (!(entry.getValue() instanceof Map)) {
                error("SCHEMA_VALIDATION_FAILED", location, "A state must be a JSON object");
                continue;
            }
            terminal |= state(entry.getKey(), Json.asObject(entry.getValue()), location, named.keySet(), language, topLevel);
        }
        if (!terminal) {
            error("MISSING_END_STATE", prefix + "/States", "Workflow has no terminal state");
        }
        if (startAt instanceof String start && named.containsKey(start)) {
            unreachable(named, start, prefix);
        }
    }

    private void unreachable(Map<String, Object> states, String start, String prefix) {
        Set<String> reached = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(start));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (!reached.add(name) || !(states.get(name) instanceof Map<?, ?> state)) {
                continue;
            }
            for (String target : transitions(Json.asObject(state))) {
                if (states.containsKey(target)) {
                    pending.push(target);
                }
            }
        }
        for (String name : states.keySet()) {
            if (!reached.contains(name)) {
                error("SCHEMA_VALIDATION_FAILED", prefix + "/States/" + name, "State '" + name + "' is not reachable");
            }
        }
    }

    private static Set<String> transitions(Map<String, Object> state) {
        Set<String> targets = new LinkedHashSet<>();
        if (state.get("Next") instanceof String next) {
            targets.add(next);
        }
        if (state.get("Default") instanceof String fallback) {
            targets.add(fallback);
        }
        for (String list : List.of("Choices", "Catch")) {
            if (state.get(list) instanceof List<?> rules) {
                for (Object rule : rules) {
                    if (rule instanceof Map<?, ?> map && map.get("Next") instanceof String next) {
                        targets.add(next);
                    }
                }
            }
        }
        return targets;
    }

    /** Checks one state; returns whether it ends the workflow. */
    private boolean state(String name, Map<String, Object> state, String location, Set<String> siblings,
                          QueryLanguage inherited, QueryLanguage topLevel) {
        Object type = state.get("Type");
        if (!(type instanceof String t) || !TYPES.contains(t)) {
            error("SCHEMA_VALIDATION_FAILED", location + "/Type", type == null ? "These fields are required: [Type]"
                    : "Unknown state type '" + type + "'; expected one of " + new TreeSet<>(TYPES));
            return false;
        }
        QueryLanguage language;
        try {
            language = QueryLanguage.of(state.get("QueryLanguage"), inherited);
        } catch (IllegalArgumentException e) {
            error("SCHEMA_VALIDATION_FAILED", location + "/QueryLanguage", e.getMessage());
            return false;
        }
        if (topLevel == QueryLanguage.JSONATA && language == QueryLanguage.JSONPATH) {
            error("SCHEMA_VALIDATION_FAILED", location + "/QueryLanguage",
                    "A state cannot use JSONPath when the state machine's QueryLanguage is JSONata");
        }
        fields(t, state, location, language);
        boolean terminal = transition(t, state, location, siblings);
        if (state.containsKey("Retry")) {
            rules(state.get("Retry"), location + "/Retry", RETRIER_FIELDS, siblings, false, language);
        }
        if (state.containsKey("Catch")) {
            rules(state.get("Catch"), location + "/Catch", CATCHER_FIELDS, siblings, true, language);
        }
        switch (t) {
            case "Task" -> task(state, location);
            case "Choice" -> choice(state, location, siblings, language);
            case "Wait" -> waitState(state, location);
            case "Parallel" -> parallel(state, location, language, topLevel);
            case "Map" -> map(state, location, language, topLevel);
            default -> {
            }
        }
        if (language == QueryLanguage.JSONATA) {
            state.forEach((field, value) -> {
                if (!field.equals("Branches") && !field.equals("ItemProcessor") && !field.equals("Iterator")) {
                    jsonata(value, location + "/" + field);
                }
            });
        } else {
            for (String field : List.of("Parameters", "ResultSelector", "ItemSelector", "Assign")) {
                if (state.containsKey(field)) {
                    payloadPaths(state.get(field), location + "/" + field);
                }
            }
        }
        assignments(state.get("Assign"), location + "/Assign", language);
        for (String list : List.of("Choices", "Catch")) {
            if (state.get(list) instanceof List<?> rules) {
                for (int i = 0; i < rules.size(); i++) {
                    if (rules.get(i) instanceof Map<?, ?> rule) {
                        assignments(rule.get("Assign"), location + "/" + list + "/" + i + "/Assign", language);
                    }
                }
            }
        }
        return terminal || t.equals("Succeed") || t.equals("Fail");
    }

    private void fields(String type, Map<String, Object> state, String location, QueryLanguage language) {
        Set<String> own = language == QueryLanguage.JSONATA ? JSONATA_ONLY.get(type) : JSONPATH_ONLY.get(type);
        Set<String> other = language == QueryLanguage.JSONATA ? JSONPATH_ONLY.get(type) : JSONATA_ONLY.get(type);
        for (String field : state.keySet()) {
            if (COMMON.contains(field) || ANY_LANGUAGE.get(type).contains(field) || own.contains(field)) {
                continue;
            }
            if (other.contains(field)) {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + field, "The field '" + field + "' is not supported in "
                        + language.aslName() + " states (state QueryLanguage is " + language.aslName() + ")");
            } else {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + field, "The field '" + field
                        + "' is not supported by Step Functions for a " + type + " state");
            }
        }
    }

    private boolean transition(String type, Map<String, Object> state, String location, Set<String> siblings) {
        if (!TRANSITIONING.contains(type)) {
            return false;
        }
        boolean hasNext = state.containsKey("Next");
        Object end = state.get("End");
        if (end != null && !Boolean.TRUE.equals(end)) {
            error("SCHEMA_VALIDATION_FAILED", location + "/End", "End must be true when present");
        }
        if (hasNext && end != null) {
            error("SCHEMA_VALIDATION_FAILED", location + "/Next", "'Next' and 'End' cannot both be set");
        } else if (!hasNext && end == null) {
            error("SCHEMA_VALIDATION_FAILED", location, "These fields are required: [Next] or [End]");
        }
        if (hasNext) {
            target(state.get("Next"), location + "/Next", siblings);
        }
        return Boolean.TRUE.equals(end);
    }

    private void target(Object next, String location, Set<String> siblings) {
        if (!(next instanceof String name)) {
            error("SCHEMA_VALIDATION_FAILED", location, "Next must be a state name");
        } else if (!siblings.contains(name)) {
            error("MISSING_TRANSITION_TARGET", location, "Missing 'Next' target: " + name);
        }
    }

    private void rules(Object value, String location, Set<String> allowed, Set<String> siblings, boolean catcher,
                       QueryLanguage language) {
        if (!(value instanceof List<?> list)) {
            error("SCHEMA_VALIDATION_FAILED", location, "must be an array");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String at = location + "/" + i;
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                error("SCHEMA_VALIDATION_FAILED", at, "must be an object");
                continue;
            }
            Map<String, Object> rule = Json.asObject(raw);
            for (String field : rule.keySet()) {
                boolean wrongLanguage = field.equals("ResultPath") && language == QueryLanguage.JSONATA
                        || field.equals("Output") && language == QueryLanguage.JSONPATH;
                if (!allowed.contains(field) || wrongLanguage) {
                    error("SCHEMA_VALIDATION_FAILED", at + "/" + field, "The field '" + field + "' is not supported in a "
                            + (catcher ? "Catcher" : "Retrier") + (wrongLanguage ? " of a " + language.aslName() + " state" : ""));
                }
            }
            errorEquals(rule.get("ErrorEquals"), at + "/ErrorEquals", i == list.size() - 1);
            if (catcher) {
                target(rule.get("Next"), at + "/Next", siblings);
            } else {
                retrierNumbers(rule, at);
            }
        }
    }

    private void errorEquals(Object value, String location, boolean lastRule) {
        if (!(value instanceof List<?> names) || names.isEmpty() || !names.stream().allMatch(String.class::isInstance)) {
            error("SCHEMA_VALIDATION_FAILED", location, "ErrorEquals must be a non-empty array of error names");
            return;
        }
        if (names.contains(StatesError.ALL)) {
            if (names.size() > 1) {
                error("SCHEMA_VALIDATION_FAILED", location, "States.ALL must appear alone in ErrorEquals");
            }
            if (!lastRule) {
                error("SCHEMA_VALIDATION_FAILED", location, "A rule matching States.ALL must be the last one");
            }
        }
    }

    private void retrierNumbers(Map<String, Object> rule, String location) {
        if (rule.containsKey("IntervalSeconds") && !isPositiveInteger(rule.get("IntervalSeconds"))) {
            error("SCHEMA_VALIDATION_FAILED", location + "/IntervalSeconds", "IntervalSeconds must be an integer >= 1");
        }
        if (rule.containsKey("MaxAttempts") && !(rule.get("MaxAttempts") instanceof Long n && n >= 0)) {
            error("SCHEMA_VALIDATION_FAILED", location + "/MaxAttempts", "MaxAttempts must be an integer >= 0");
        }
        if (rule.containsKey("BackoffRate") && !(rule.get("BackoffRate") instanceof Number n && n.doubleValue() >= 1.0)) {
            error("SCHEMA_VALIDATION_FAILED", location + "/BackoffRate", "BackoffRate must be a number >= 1.0");
        }
        if (rule.containsKey("MaxDelaySeconds") && !isPositiveInteger(rule.get("MaxDelaySeconds"))) {
            error("SCHEMA_VALIDATION_FAILED", location + "/MaxDelaySeconds", "MaxDelaySeconds must be an integer >= 1");
        }
        if (rule.containsKey("JitterStrategy") && !List.of("FULL", "NONE").contains(rule.get("JitterStrategy"))) {
            error("SCHEMA_VALIDATION_FAILED", location + "/JitterStrategy", "JitterStrategy must be FULL or NONE");
        }
    }

    private boolean isPositiveInteger(Object value) {
        return value instanceof Long n && n >= 1;
    }

    private void task(Map<String, Object> state, String location) {
        Object resource = state.get("Resource");
        if (!(resource instanceof String arn)) {
            error("SCHEMA_VALIDATION_FAILED", location + "/Resource", "These fields are required: [Resource]");
        } else if (TaskResource.parse(arn).isEmpty()) {
            error("INVALID_RESOURCE", location + "/Resource", "The resource provided " + arn + " is not recognized by the local"
                    + " runtime (supported: arn:aws:states:::lambda:invoke, arn:aws:states:::dynamodb:putItem|getItem|updateItem|deleteItem,"
                    + " arn:aws:lambda:<region>:<account>:function:<name>)");
        }
        for (String field : List.of("TimeoutSeconds", "HeartbeatSeconds")) {
            Object value = state.get(field);
            if (value != null && !isPositiveInteger(value) && !isJsonata(value)) {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + field, field + " must be a positive integer");
            }
            if (value != null && state.containsKey(field + "Path")) {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + field, field + " and " + field + "Path cannot both be set");
            }
        }
    }

    private void choice(Map<String, Object> state, String location, Set<String> siblings, QueryLanguage language) {
        if (state.containsKey("Default")) {
            target(state.get("Default"), location + "/Default", siblings);
        }
        if (!(state.get("Choices") instanceof List<?> choices) || choices.isEmpty()) {
            error("SCHEMA_VALIDATION_FAILED", location + "/Choices", "Choices must be a non-empty array");
            return;
        }
        for (int i = 0; i < choices.size(); i++) {
            String at = location + "/Choices/" + i;
            if (!(choices.get(i) instanceof Map<?, ?> raw)) {
                error("SCHEMA_VALIDATION_FAILED", at, "A choice rule must be an object");
                continue;
            }
            Map<String, Object> rule = Json.asObject(raw);
            target(rule.get("Next"), at + "/Next", siblings);
            if (language == QueryLanguage.JSONATA) {
                for (String field : rule.keySet()) {
                    if (!Set.of("Condition", "Next", "Output", "Assign", "Comment").contains(field)) {
                        error("SCHEMA_VALIDATION_FAILED", at + "/" + field, "The field '" + field
                                + "' is not supported in a JSONata choice rule (use Condition)");
                    }
                }
                if (!rule.containsKey("Condition")) {
                    error("SCHEMA_VALIDATION_FAILED", at, "These fields are required: [Condition]");
                }
            } else {
                choiceRule(rule, at, true);
            }
        }
    }

    private void choiceRule(Map<String, Object> rule, String location, boolean top) {
        Set<String> allowed = new HashSet<>(CHOICE_OPERATORS);
        allowed.addAll(Set.of("Variable", "And", "Or", "Not", "Comment"));
        if (top) {
            allowed.addAll(Set.of("Next", "Assign"));
        }
        List<String> operators = new ArrayList<>();
        for (String field : rule.keySet()) {
            if (!allowed.contains(field)) {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + field, "The field '" + field + "' is not supported in a choice rule");
            } else if (CHOICE_OPERATORS.contains(field) || Set.of("And", "Or", "Not").contains(field)) {
                operators.add(field);
            }
        }
        if (operators.size() != 1) {
            error("SCHEMA_VALIDATION_FAILED", location, "A choice rule needs exactly one comparison or And/Or/Not, found " + operators);
            return;
        }
        String operator = operators.get(0);
        if (operator.equals("Not")) {
            if (rule.get("Not") instanceof Map<?, ?> inner) {
                choiceRule(Json.asObject(inner), location + "/Not", false);
            } else {
                error("SCHEMA_VALIDATION_FAILED", location + "/Not", "Not must be a choice rule object");
            }
        } else if (operator.equals("And") || operator.equals("Or")) {
            if (rule.get(operator) instanceof List<?> inner && !inner.isEmpty()) {
                for (int i = 0; i < inner.size(); i++) {
                    if (inner.get(i) instanceof Map<?, ?> nested) {
                        choiceRule(Json.asObject(nested), location + "/" + operator + "/" + i, false);
                    } else {
                        error("SCHEMA_VALIDATION_FAILED", location + "/" + operator + "/" + i, "must be a choice rule object");
                    }
                }
            } else {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + operator, operator + " must be a non-empty array of rules");
            }
        } else if (!(rule.get("Variable") instanceof String variable) || !variable.startsWith("$")) {
            error("SCHEMA_VALIDATION_FAILED", location + "/Variable", "A comparison needs a Variable path starting with '$'");
        }
    }

    private void waitState(Map<String, Object> state, String location) {
        long count = List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath").stream().filter(state::containsKey).count();
        if (count != 1) {
            error("SCHEMA_VALIDATION_FAILED", location, "A Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath");
        }
        Object seconds = state.get("Seconds");
        if (seconds != null && !(seconds instanceof Long n && n >= 0) && !isJsonata(seconds)) {
            error("SCHEMA_VALIDATION_FAILED", location + "/Seconds", "Seconds must be a non-negative integer");
        }
    }

    private void parallel(Map<String, Object> state, String location, QueryLanguage language, QueryLanguage topLevel) {
        if (!(state.get("Branches") instanceof List<?> branches) || branches.isEmpty()) {
            error("SCHEMA_VALIDATION_FAILED", location + "/Branches", "Branches must be a non-empty array");
            return;
        }
        for (int i = 0; i < branches.size(); i++) {
            if (branches.get(i) instanceof Map<?, ?> branch) {
                workflow(Json.asObject(branch), location + "/Branches/" + i, BRANCH_FIELDS, language, topLevel);
            } else {
                error("SCHEMA_VALIDATION_FAILED", location + "/Branches/" + i, "A branch must be an object");
            }
        }
    }

    private void map(Map<String, Object> state, String location, QueryLanguage language, QueryLanguage topLevel) {
        String field = state.containsKey("ItemProcessor") ? "ItemProcessor" : "Iterator";
        if (!(state.get(field) instanceof Map<?, ?> raw)) {
            error("SCHEMA_VALIDATION_FAILED", location + "/ItemProcessor", "These fields are required: [ItemProcessor]");
            return;
        }
        Map<String, Object> processor = Json.asObject(raw);
        boolean distributed = false;
        if (processor.get("ProcessorConfig") instanceof Map<?, ?> config) {
            Object mode = config.get("Mode");
            distributed = "DISTRIBUTED".equals(mode);
            if (mode != null && !List.of("INLINE", "DISTRIBUTED").contains(mode)) {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + field + "/ProcessorConfig/Mode", "Mode must be INLINE or DISTRIBUTED");
            }
            Object executionType = config.get("ExecutionType");
            if (distributed && !List.of("STANDARD", "EXPRESS").contains(executionType)) {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + field + "/ProcessorConfig/ExecutionType",
                        "A DISTRIBUTED Map needs ExecutionType STANDARD or EXPRESS");
            }
        }
        if (!distributed) {
            for (String only : List.of("ItemBatcher", "ItemReader", "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label")) {
                if (state.containsKey(only)) {
                    error("SCHEMA_VALIDATION_FAILED", location + "/" + only, "The field '" + only + "' needs ProcessorConfig Mode DISTRIBUTED");
                }
            }
        }
        for (String unsupported : List.of("ItemReader", "ResultWriter")) {
            if (state.containsKey(unsupported)) {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + unsupported, "The field '" + unsupported
                        + "' is not supported by the local runtime (items must come from the state input)");
            }
        }
        workflow(processor, location + "/" + field, PROCESSOR_FIELDS, language, topLevel);
    }

    private void jsonata(Object value, String location) {
        if (value instanceof String text && text.startsWith("{%")) {
            if (!text.endsWith("%}")) {
                error("SCHEMA_VALIDATION_FAILED", location, "A JSONata expression must be written as {% expression %}");
                return;
            }
            try {
                Jsonata.jsonata(text.substring(2, text.length() - 2));
            } catch (RuntimeException e) {
                error("SCHEMA_VALIDATION_FAILED", location, "Invalid JSONata expression: " + e.getMessage());
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> jsonata(v, location + "/" + k));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                jsonata(list.get(i), location + "/" + i);
            }
        }
    }

    /** Variable names: a letter or underscore, then letters, digits or underscores; "states" is reserved. */
    private void assignments(Object assign, String location, QueryLanguage language) {
        if (assign == null) {
            return;
        }
        if (!(assign instanceof Map<?, ?> map)) {
            error("SCHEMA_VALIDATION_FAILED", location, "Assign must be an object of variable names to values");
            return;
        }
        for (Object key : map.keySet()) {
            String name = String.valueOf(key);
            if (language == QueryLanguage.JSONPATH && name.endsWith(".$")) {
                name = name.substring(0, name.length() - 2);
            }
            if (!VARIABLE_NAME.matcher(name).matches() || name.equals("states")) {
                error("SCHEMA_VALIDATION_FAILED", location + "/" + key, "Invalid variable name '" + name
                        + "': use up to 80 letters, digits and underscores, not starting with a digit; 'states' is reserved");
            }
        }
    }

    /** A JSONPath payload template's "name.$" members must hold a path or an intrinsic function call. */
    private void payloadPaths(Object template, String location) {
        if (!(template instanceof Map<?, ?> map)) {
            return;
        }
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            String at = location + "/" + key;
            if (!key.endsWith(".$")) {
                payloadPaths(v, at);
            } else if (!(v instanceof String path) || !(path.startsWith("States.") || isValidPath(path))) {
                error("SCHEMA_VALIDATION_FAILED", at, "The value for the field '" + key
                        + "' must be a valid JSONPath or a valid intrinsic function call");
            }
        });
    }

    private static boolean isValidPath(String path) {
        if (!path.startsWith("$")) {
            return false;
        }
        String rooted = path;
        if (path.startsWith("$$")) {
            rooted = path.substring(1);
        } else if (path.length() > 1 && (Character.isLetter(path.charAt(1)) || path.charAt(1) == '_')) {
            int end = 1;
            while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                end++;
            }
            rooted = "$" + path.substring(end);
        }
        try {
            JsonPath.parse(rooted);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isJsonata(Object value) {
        return value instanceof String text && text.startsWith("{%") && text.endsWith("%}");
    }
}
