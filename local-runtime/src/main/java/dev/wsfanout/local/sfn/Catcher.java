package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;

/** One Catch rule: the errors it handles, where it goes, and how it shapes the error output. */
record Catcher(List<String> errorEquals, String next, Map<String, Object> fields) {

    static Catcher of(Map<String, Object> json) {
        return new Catcher(Retrier.stringList(json.get("ErrorEquals")), (String) json.get("Next"), json);
    }

    boolean matches(StatesError error) {
        return errorEquals.stream().anyMatch(error::matches);
    }
}
