package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.BroadcastRequest;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.model.MessageLimits;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Starts a broadcast: checks the message and the name the way the state machine and Step
 * Functions would, so a bad one is refused before an execution exists, then calls StartExecution
 * with {@code {"message": ...}}.
 */
public final class BroadcastStarter {

    /** Execution names: 1-80 of letters, digits, '-' and '_' (Step Functions allows more; these are safe in URLs and ARNs). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1," + MessageLimits.MAX_BROADCAST_ID_LENGTH + "}");
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final BroadcastTarget target;

    public BroadcastStarter(BroadcastTarget target) {
        this.target = target;
    }

    /**
     * @param name null for a generated one ({@code b-20261128-134501-3f9a2c})
     * @throws CliException if the message is too large or the name is not usable
     */
    public StartedBroadcast start(String name, JsonNode message) {
        BroadcastRequest request;
        try {
            request = new BroadcastRequest(message);
        } catch (BroadcastRequest.InvalidBroadcastException e) {
            throw new CliException(CliException.FAILED, e.getMessage(), e);
        }
        String executionName = name == null ? generatedName() : checkedName(name);
        String input = JsonCodec.write(request);
        long startedAt = System.currentTimeMillis();
        try {
            String executionArn = target.sfn().startExecution(r -> r.stateMachineArn(target.stateMachineArn())
                    .name(executionName).input(input)).executionArn();
            return new StartedBroadcast(executionName, executionArn, startedAt, false);
        } catch (ExecutionAlreadyExistsException used) {
            return existing(executionName, request, input, used);
        }
    }

    /**
     * A retried {@code send --name}: Step Functions returns a running execution for the same name
     * and input, but answers ExecutionAlreadyExists once it has closed, so the stored input decides.
     * The same message is the same broadcast, reported and not sent again; another one is refused.
     */
    private StartedBroadcast existing(String name, BroadcastRequest request, String input, ExecutionAlreadyExistsException used) {
        String executionArn = executionArn(target.stateMachineArn(), name);
        DescribeExecutionResponse stored = target.sfn().describeExecution(r -> r.executionArn(executionArn));
        BroadcastRequest storedRequest;
        try {
            storedRequest = JsonCodec.read(stored.input(), BroadcastRequest.class);
        } catch (IllegalArgumentException notOurs) {
            storedRequest = null;
        }
        boolean same = input.equals(stored.input()) || (storedRequest != null && storedRequest.message().equals(request.message()));
        if (!same) {
            throw new CliException(CliException.FAILED, "a broadcast named '" + name + "' already exists with a different "
                    + "message (" + stored.status() + ", started " + stored.startDate() + "); pick another --name", used);
        }
        return new StartedBroadcast(name, executionArn, stored.startDate().toEpochMilli(), true);
    }

    /** {@code arn:<partition>:states:<region>:<account>:stateMachine:<machine>} → {@code ...:execution:<machine>:<name>}. */
    static String executionArn(String stateMachineArn, String name) {
        int marker = stateMachineArn.indexOf(":stateMachine:");
        if (marker < 0) {
            throw new IllegalArgumentException("not a state machine ARN: " + stateMachineArn);
        }
        return stateMachineArn.substring(0, marker) + ":execution:" + stateMachineArn.substring(marker + ":stateMachine:".length())
                + ":" + name;
    }

    private static String checkedName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new CliException(CliException.FAILED, "--name '" + name + "' is not a usable broadcast id: use 1 to "
                    + MessageLimits.MAX_BROADCAST_ID_LENGTH + " letters, digits, '-' or '_'");
        }
        return name;
    }

    private static String generatedName() {
        return "b-" + NAME_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))
                + "-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }
}
