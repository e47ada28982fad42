package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;

/**
 * One state of a (validated) workflow: its name, type, effective query language, its raw fields,
 * and the parsed parts the engine needs repeatedly (retriers, catchers, nested workflows).
 */
record StateDefinition(String name, String type, QueryLanguage language, Map<String, Object> fields,
                       List<Retrier> retriers, List<Catcher> catchers, List<Workflow> branches,
                       Workflow itemProcessor) {

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
