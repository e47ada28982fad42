package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** One Catch rule: the errors it handles, where it goes, and how it shapes the error output. */
record Catcher(List<String> errorEquals, String next, Map<String, Object> fields) {

    /** The fields of a Catcher (ResultPath only in JSONPath states, Output only in JSONata ones). */
    static final Set<String> FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment");

    static Catcher of(Map<String, Object> json) {
        return new Catcher(Retrier.stringList(json.get("ErrorEquals")), (String) json.get("Next"), json);
    }

    boolean matches(StatesError error) {
        return errorEquals.stream().anyMatch(error::matches);
    }
}
