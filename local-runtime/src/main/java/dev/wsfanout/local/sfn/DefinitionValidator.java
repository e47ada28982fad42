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
import java.util.stream.Collectors;
import java.util.TreeSet;

/**
 * Checks a definition the way ValidateStateMachineDefinition does, collecting every problem as a
 * {@link Diagnostic} that names the state and field (location "/States/Foo/Next"): unknown and
 * wrong-language fields, missing or dangling transitions, unreachable states, malformed
 * Retry/Catch, unknown Task resources, JSONata that does not parse. The rules common to all states
 * (fields, transitions, Retry/Catch, Assign names, JSONata and payload paths) are here; each state
 * type's own fields and checks are in its {@link StateSpec} (the runner's {@code SPEC}).
 */
public final class DefinitionValidator {

    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage");

    /** Fields holding nested workflows, which are checked as workflows rather than as JSONata values. */
    private static final Set<String> NESTED_WORKFLOW_FIELDS = StateSpec.byType().values().stream()
            .flatMap(spec -> spec.nestedWorkflows().stream()).collect(Collectors.toUnmodifiableSet());

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

    /** Records one problem; the state types' checks ({@link StateSpec.Check}) report through this. */
    void error(String code, String location, String message) {
        diagnostics.add(Diagnostic.error(code, location, message));
    }

    /** Checks a workflow (the machine, a Parallel branch, a Map's ItemProcessor) at {@code prefix}. */
    void workflow(Map<String, Object> json, String prefix, Set<String> allowed, QueryLanguage language,
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
        StateSpec spec = type instanceof String t ? StateSpec.byType().get(t) : null;
        if (spec == null) {
            error("SCHEMA_VALIDATION_FAILED", location + "/Type", type == null ? "These fields are required: [Type]"
                    : "Unknown state type '" + type + "'; expected one of " + new TreeSet<>(StateSpec.byType().keySet()));
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
        fields(spec, state, location, language);
        boolean terminal = transition(spec, state, location, siblings);
        if (state.containsKey("Retry")) {
            rules(state.get("Retry"), location + "/Retry", Retrier.FIELDS, siblings, false, language);
        }
        if (state.containsKey("Catch")) {
            rules(state.get("Catch"), location + "/Catch", Catcher.FIELDS, siblings, true, language);
        }
        spec.check().check(this, new StateSpec.Site(state, location, siblings, language, topLevel));
        if (language == QueryLanguage.JSONATA) {
            state.forEach((field, value) -> {
                if (!NESTED_WORKFLOW_FIELDS.contains(field)) {
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
        return terminal || spec.flow() == StateSpec.Flow.TERMINAL;
    }

    /** Each field must be one {@code spec} takes in {@code language}; a field of the other language says so. */
    private void fields(StateSpec spec, Map<String, Object> state, String location, QueryLanguage language) {
        Set<String> other = spec.only(language == QueryLanguage.JSONATA ? QueryLanguage.JSONPATH : QueryLanguage.JSONATA);
        String type = spec.type();
        for (String field : state.keySet()) {
            if (spec.allows(field, language)) {
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

    private boolean transition(StateSpec spec, Map<String, Object> state, String location, Set<String> siblings) {
        if (spec.flow() != StateSpec.Flow.NEXT_OR_END) {
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

    /** Checks that {@code next} names one of {@code siblings}. */
    void target(Object next, String location, Set<String> siblings) {
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
                Retrier.validate(this, rule, at);
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

    static boolean isPositiveInteger(Object value) {
        return value instanceof Long n && n >= 1;
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

    static boolean isJsonata(Object value) {
        return value instanceof String text && text.startsWith("{%") && text.endsWith("%}");
    }
}
