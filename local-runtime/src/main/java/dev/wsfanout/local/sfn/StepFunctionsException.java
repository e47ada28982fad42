package dev.wsfanout.local.sfn;

/**
 * A rejected API call, named like the Step Functions API error it stands for
 * ({@code errorCode} is the "__type": ExecutionAlreadyExists, InvalidName, InvalidDefinition,
 * StateMachineDoesNotExist, ...).
 */
public final class StepFunctionsException extends RuntimeException {

    private final String errorCode;

    public StepFunctionsException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }
}
