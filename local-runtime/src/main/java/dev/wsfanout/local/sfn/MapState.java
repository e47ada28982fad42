package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Map state's field rules and its settings parsed once ({@link Settings}); it runs as
 * {@link InlineMapState} or, with ProcessorConfig Mode DISTRIBUTED, as {@link DistributedMapState}.
 */
final class MapState {

    static final StateSpec SPEC = StateSpec.of("Map", StateSpec.Flow.NEXT_OR_END,
                    Set.of("Assign", "ItemProcessor", "Iterator", "ItemReader", "ItemSelector", "ItemBatcher", "ResultWriter",
                            "MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label", "Retry", "Catch"),
                    Set.of("InputPath", "OutputPath", "ItemsPath", "Parameters", "ResultSelector", "ResultPath", "MaxConcurrencyPath",
                            "ToleratedFailurePercentagePath", "ToleratedFailureCountPath"),
                    Set.of("Items", "Output"))
            .nesting(Set.of("ItemProcessor", "Iterator"))
            .checkedBy(MapState::validate)
            .parsedBy(Settings::of);

    /** The fields of an ItemProcessor (or the older Iterator). */
    static final Set<String> PROCESSOR_FIELDS = Set.of("Comment", "StartAt", "States", "ProcessorConfig");
    /** Fields only a DISTRIBUTED Map takes. */
    private static final List<String> DISTRIBUTED_ONLY = List.of("ItemBatcher", "ItemReader", "ResultWriter",
            "ToleratedFailurePercentage", "ToleratedFailureCount", "Label");
    /** Fields AWS takes that the local runtime does not run. */
    private static final List<String> NOT_SUPPORTED_LOCALLY = List.of("ItemReader", "ResultWriter");

    private MapState() {
    }

    /**
     * ProcessorConfig, parsed once.
     *
     * @param distributed   Mode DISTRIBUTED
     * @param executionType the children's type (validation guarantees STANDARD or EXPRESS for a DISTRIBUTED Map)
     * @param label         Label, null when not set
     * @param batched       whether an ItemBatcher is set
     */
    record Settings(boolean distributed, String executionType, String label, boolean batched) {

        static Settings of(Map<String, Object> json) {
            Object processor = json.containsKey("ItemProcessor") ? json.get("ItemProcessor") : json.get("Iterator");
            boolean distributed = false;
            String executionType = "EXPRESS";
            if (processor instanceof Map<?, ?> map && map.get("ProcessorConfig") instanceof Map<?, ?> config) {
                distributed = "DISTRIBUTED".equals(config.get("Mode"));
                if ("STANDARD".equals(config.get("ExecutionType"))) {
                    executionType = "STANDARD";
                }
            }
            return new Settings(distributed, executionType, json.get("Label") instanceof String l ? l : null,
                    json.containsKey("ItemBatcher"));
        }
    }

    private static void validate(DefinitionValidator validator, StateSpec.Site site) {
        String field = site.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        if (!(site.get(field) instanceof Map<?, ?> raw)) {
            validator.error("SCHEMA_VALIDATION_FAILED", site.at("ItemProcessor"), "These fields are required: [ItemProcessor]");
            return;
        }
        Map<String, Object> processor = Json.asObject(raw);
        boolean distributed = false;
        if (processor.get("ProcessorConfig") instanceof Map<?, ?> config) {
            Object mode = config.get("Mode");
            distributed = "DISTRIBUTED".equals(mode);
            if (mode != null && !(mode instanceof String m && List.of("INLINE", "DISTRIBUTED").contains(m))) {
                validator.error("SCHEMA_VALIDATION_FAILED", site.at(field + "/ProcessorConfig/Mode"), "Mode must be INLINE or DISTRIBUTED");
            }
            Object executionType = config.get("ExecutionType");
            if (distributed && !(executionType instanceof String type && List.of("STANDARD", "EXPRESS").contains(type))) {
                validator.error("SCHEMA_VALIDATION_FAILED", site.at(field + "/ProcessorConfig/ExecutionType"),
                        "A DISTRIBUTED Map needs ExecutionType STANDARD or EXPRESS");
            }
        }
        if (!distributed) {
            for (String only : DISTRIBUTED_ONLY) {
                if (site.has(only)) {
                    validator.error("SCHEMA_VALIDATION_FAILED", site.at(only), "The field '" + only + "' needs ProcessorConfig Mode DISTRIBUTED");
                }
            }
        }
        for (String unsupported : NOT_SUPPORTED_LOCALLY) {
            if (site.has(unsupported)) {
                validator.error("SCHEMA_VALIDATION_FAILED", site.at(unsupported), "The field '" + unsupported
                        + "' is not supported by the local runtime (items must come from the state input)");
            }
        }
        validator.workflow(processor, site.at(field), PROCESSOR_FIELDS, site.language(), site.topLevel());
    }
}
