package dev.wsfanout.local.sfn;

import java.util.Map;

/**
 * Conformance cases kept next to the suite rather than in src/test/resources/sfn/conformance,
 * in the same format ({@link ConformanceTest} runs them with the files' cases), by suite name.
 */
final class ConformanceCases {

    private ConformanceCases() {
    }

    /** States.ArrayRange's AWS limits: at most 1,000 items, and a step of 0 (which never reaches the end) is refused. */
    static final String INTRINSIC_LIMITS = """
            {"cases": [
              {"name": "array-range-1000-items-is-the-limit",
               "doc": "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays (States.ArrayRange: the new array can contain up to 1000 items)",
               "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
                   "n.$": "States.ArrayLength(States.ArrayRange(1, 1000, 1))",
                   "last.$": "States.ArrayGetItem(States.ArrayRange(0, 9990, 10), 999)"}, "End": true}}},
               "input": {},
               "expect": {"status": "SUCCEEDED", "output": {"n": 1000, "last": 9990}}},
              {"name": "array-range-over-1000-items-fails-the-intrinsic",
               "doc": "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays (States.ArrayRange: the newly generated array can't contain more than 1000 items); the ASL specification's States.IntrinsicFailure",
               "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"range.$": "States.ArrayRange(1, 1001, 1)"}, "End": true}}},
               "input": {},
               "expect": {"status": "FAILED", "error": "States.IntrinsicFailure",
                          "cause": "Invalid arguments in States.ArrayRange(1, 1001, 1): the result of States.ArrayRange cannot contain more than 1000 items; it would have 1001"}},
              {"name": "array-range-step-0-fails-the-intrinsic",
               "doc": "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays (States.ArrayRange: you must specify a non-zero value for the third argument)",
               "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"range.$": "States.ArrayRange($.from, $.to, $.step)"}, "End": true}}},
               "input": {"from": 1, "to": 5, "step": 0},
               "expect": {"status": "FAILED", "error": "States.IntrinsicFailure",
                          "cause": "Invalid arguments in States.ArrayRange($.from, $.to, $.step): the step of States.ArrayRange (the third argument) must not be 0: a range with step 0 never reaches its end"}},
              {"name": "array-range-step-away-from-the-end-is-empty",
               "doc": "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays (States.ArrayRange: first value, final value, increment)",
               "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
                   "away.$": "States.ArrayRange(1, 9, -1)", "down.$": "States.ArrayRange(9, 1, -4)"}, "End": true}}},
               "input": {},
               "expect": {"status": "SUCCEEDED", "output": {"away": [], "down": [9, 5, 1]}}}
            ]}
            """;

    /** Every suite, by the name its cases are reported under. */
    static final Map<String, String> SUITES = Map.of("intrinsic-limits", INTRINSIC_LIMITS);
}
