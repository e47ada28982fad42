package dev.wsfanout.local.sfn;

import java.util.List;
import java.util.Map;

/**
 * How a state's input becomes what it works on and how its result becomes its output — the part
 * that differs between the two query languages ({@link JsonataIO}, {@link JsonPathIO}).
 */
interface StateIO {

    static StateIO of(StateDefinition state) {
        return state.isJsonata() ? JsonataIO.INSTANCE : JsonPathIO.INSTANCE;
    }

    /** The input the state works on (JSONPath: after InputPath; JSONata: the raw input). */
    Object effectiveInput(StateVisit visit);

    /** What a Task calls with / a Parallel branch starts with (Parameters or Arguments; else the effective input). */
    Object arguments(StateVisit visit, Object effectiveInput);

    /** A field that holds a value, an expression or (JSONPath) a "...Path" sibling; null when neither is set. */
    Object value(StateVisit visit, String field, Object effectiveInput);

    /** A Map state's items. */
    List<Object> items(StateVisit visit, Object effectiveInput);

    /** The input of one Map iteration (ItemSelector, else the item itself). */
    Object selectItem(StateVisit visit, Object effectiveInput, int index, Object item);

    /** Whether a Choice rule matches. */
    boolean matches(StateVisit visit, Map<String, Object> rule, Object effectiveInput);

    /** Output and assignments of a state that produced a result (Task, Parallel, Map, Pass). */
    StateOutcome withResult(StateVisit visit, Object result, String next);

    /** Output and assignments of a state that passes its input on (Choice, Wait, Succeed). */
    StateOutcome passThrough(StateVisit visit, Object effectiveInput, Map<String, Object> rule, String next);

    /** Output and assignments after a Catcher matched {@code error}. */
    StateOutcome caught(StateVisit visit, Catcher catcher, StatesError error);

    /** A Fail state's Error and Cause. */
    String[] failure(StateVisit visit);
}
