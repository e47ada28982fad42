package dev.wsfanout.local.sfn;

import java.util.Map;
import java.util.LinkedHashMap;

/**
 * An error raised while a state runs, as Amazon States Language sees it: an error name that
 * Retry/Catch match on ("States.TaskFailed", "DynamoDB.ConditionalCheckFailedException", a
 * Lambda errorType, ...) and a cause text.
 */
final class StatesError extends RuntimeException {

    static final String ALL = "States.ALL";
    static final String TASK_FAILED = "States.TaskFailed";
    static final String TIMEOUT = "States.Timeout";
    static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
    static final String RUNTIME = "States.Runtime";
    static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
    static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
    static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
    static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
    static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    static final String BRANCH_FAILED = "States.BranchFailed";
    static final String ITEM_READER_FAILED = "States.ItemReaderFailed";
    static final String EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";

    /** Null for a Fail state without Error. */
    private final String error;
    private final String errorCause;
    private final boolean terminal;

    StatesError(String error, String cause) {
        this(error, cause, false);
    }

    private StatesError(String error, String cause, boolean terminal) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.errorCause = cause;
        this.terminal = terminal;
    }

    /**
     * An error no Retry or Catch handles, not even one naming it: the execution fails where it is
     * raised (a state's input after Parameters, or its output, over the payload quota; AWS records
     * ExecutionFailed right after the state's Entered event).
     */
    static StatesError terminal(String error, String cause) {
        return new StatesError(error, cause, true);
    }

    boolean isTerminal() {
        return terminal;
    }

    String error() {
        return error;
    }

    String cause() {
        return errorCause;
    }

    /**
     * Retry/Catch matching. A {@linkplain #terminal terminal} error matches nothing. States.ALL
     * matches every other error but States.Runtime; States.TaskFailed every error but
     * States.Runtime and States.Timeout. A task result over the payload quota is an ordinary
     * States.DataLimitExceeded that States.ALL does catch: AWS's recorded history (TaskFailed, then
     * the States.ALL catcher's state) contradicts the developer guide's "can't be caught by
     * States.ALL", which holds for the terminal case (docs/local-step-functions.md, "Quotas").
     */
    boolean matches(String errorEquals) {
        if (terminal) {
            return false;
        }
        if (errorEquals.equals(error)) {
            return true;
        }
        if (error == null) {
            return ALL.equals(errorEquals) || TASK_FAILED.equals(errorEquals);
        }
        boolean runtime = RUNTIME.equals(error);
        if (ALL.equals(errorEquals)) {
            return !runtime;
        }
        if (TASK_FAILED.equals(errorEquals)) {
            return !runtime && !TIMEOUT.equals(error);
        }
        return false;
    }

    /** The error output Catch hands on: {"Error": .., "Cause": ..}. */
    Map<String, Object> toErrorOutput() {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("Error", error);
        output.put("Cause", errorCause);
        return output;
    }
}
