package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;

/**
 * One state of a (validated) workflow: its name, type, effective query language, its raw fields,
 * the parsed parts the engine needs repeatedly (retriers, catchers, nested workflows), and the
 * type's own settings parsed once by its {@link StateSpec} ({@code details}: a {@link TaskResource},
 * {@link ChoiceState.Rules}, {@link MapState.Settings}; null for the other types).
 */
record StateDefinition(String name, String type, QueryLanguage language, Map<String, Object> fields,
                       List<Retrier> retriers, List<Catcher> catchers, List<Workflow> branches,
                       Workflow itemProcessor, Object details) {

    /** The type's parsed settings, as {@code kind}. */
    <T> T details(Class<T> kind) {
        return kind.cast(details);
    }

    Object field(String name) {
        return fields.get(name);
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    String next() {
        return (String) fields.get("Next");
    }

    boolean isJsonata() {
        return language == QueryLanguage.JSONATA;
    }
}
