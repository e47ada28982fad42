package dev.wsfanout.cli;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

import java.net.ConnectException;

/** Turns what can go wrong under a command into the one line a person can act on. */
public final class FailureMessages {

    private FailureMessages() {
    }

    public static CliException describe(Throwable failure) {
        if (failure instanceof CliException known) {
            return known;
        }
        if (failure instanceof ExecutionAlreadyExistsException e) {
            return failed("a broadcast with that --name already exists (" + e.awsErrorDetails().errorMessage() + ")", e);
        }
        if (failure instanceof InvalidNameException e) {
            return failed("Step Functions refused the broadcast name: " + e.awsErrorDetails().errorMessage(), e);
        }
        if (failure instanceof StateMachineDoesNotExistException e) {
            return failed("the state machine does not exist: " + e.awsErrorDetails().errorMessage()
                    + " (check --state-machine-arn / --region)", e);
        }
        if (failure instanceof SfnException e && e.awsErrorDetails() != null) {
            return failed("Step Functions: " + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage(), e);
        }
        if (failure instanceof ResourceNotFoundException e) {
            return failed("DynamoDB: a table does not exist: " + e.awsErrorDetails().errorMessage()
                    + " (check --region and the table names)", e);
        }
        if (failure instanceof DynamoDbException e && e.awsErrorDetails() != null) {
            return failed("DynamoDB: " + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage(), e);
        }
        if (failure instanceof SdkClientException e && causedBy(e, ConnectException.class)) {
            return failed("cannot reach the endpoint (" + e.getMessage() + "): is the local stack still running? "
                    + "start one with `./wsfanout local`", e);
        }
        if (failure instanceof SdkClientException e && String.valueOf(e.getMessage()).contains("credentials")) {
            return failed("AWS credentials missing: " + e.getMessage(), e);
        }
        return failed(failure.getClass().getSimpleName() + ": " + failure.getMessage() + " (run with --debug for the stack trace)",
                failure);
    }

    private static CliException failed(String message, Throwable cause) {
        return new CliException(CliException.FAILED, message, cause);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
