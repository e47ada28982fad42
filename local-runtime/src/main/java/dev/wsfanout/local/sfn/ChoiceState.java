package dev.wsfanout.local.sfn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Choice: the first matching rule's Next, else Default, else States.NoChoiceMatched. */
final class ChoiceState implements StateRunner {

    static final StateSpec SPEC = StateSpec.of("Choice", StateSpec.Flow.RULES,
                    Set.of("Choices", "Default", "Assign"),
                    Set.of("InputPath", "OutputPath"),
                    Set.of("Output"))
            .checkedBy(ChoiceState::validate)
            .parsedBy(Rules::of);

    /** The fields of a JSONata choice rule (JSONPath rules: {@link ChoiceRules#validate}). */
    private static final Set<String> JSONATA_RULE_FIELDS = Set.of("Condition", "Next", "Output", "Assign", "Comment");

    /** Choices and Default, parsed once. */
    record Rules(List<Map<String, Object>> choices, String defaultNext) {

        static Rules of(Map<String, Object> json) {
            List<Map<String, Object>> choices = new ArrayList<>();
            if (json.get("Choices") instanceof List<?> list) {
                list.forEach(rule -> choices.add(Json.asObject(rule)));
            }
            return new Rules(List.copyOf(choices), json.get("Default") instanceof String fallback ? fallback : null);
        }
    }

    private static void validate(DefinitionValidator validator, StateSpec.Site site) {
        if (site.has("Default")) {
            validator.target(site.get("Default"), site.at("Default"), site.siblings());
        }
        if (!(site.get("Choices") instanceof List<?> choices) || choices.isEmpty()) {
            validator.error("SCHEMA_VALIDATION_FAILED", site.at("Choices"), "Choices must be a non-empty array");
            return;
        }
        for (int i = 0; i < choices.size(); i++) {
            String at = site.at("Choices/" + i);
            if (!(choices.get(i) instanceof Map<?, ?> raw)) {
                validator.error("SCHEMA_VALIDATION_FAILED", at, "A choice rule must be an object");
                continue;
            }
            Map<String, Object> rule = Json.asObject(raw);
            validator.target(rule.get("Next"), at + "/Next", site.siblings());
            if (site.language() == QueryLanguage.JSONATA) {
                for (String field : rule.keySet()) {
                    if (!JSONATA_RULE_FIELDS.contains(field)) {
                        validator.error("SCHEMA_VALIDATION_FAILED", at + "/" + field, "The field '" + field
                                + "' is not supported in a JSONata choice rule (use Condition)");
                    }
                }
                if (!rule.containsKey("Condition")) {
                    validator.error("SCHEMA_VALIDATION_FAILED", at, "These fields are required: [Condition]");
                }
            } else {
                ChoiceRules.validate(validator, rule, at, true);
            }
        }
    }

    @Override
    public StateOutcome run(StateVisit visit) {
        StateDefinition state = visit.state();
        StateIO io = StateIO.of(state);
        Object effective = io.effectiveInput(visit);
        Rules rules = state.details(Rules.class);
        for (Map<String, Object> rule : rules.choices()) {
            if (io.matches(visit, rule, effective)) {
                return io.passThrough(visit, effective, rule, (String) rule.get("Next"));
            }
        }
        if (rules.defaultNext() != null) {
            return io.passThrough(visit, effective, null, rules.defaultNext());
        }
        throw new StatesError(StatesError.NO_CHOICE_MATCHED, "No Matches!");
    }
}
