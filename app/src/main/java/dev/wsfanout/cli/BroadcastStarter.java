package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.BroadcastRequest;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.model.MessageLimits;

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
        String executionArn = target.sfn().startExecution(r -> r.stateMachineArn(target.stateMachineArn())
                .name(executionName).input(input)).executionArn();
        return new StartedBroadcast(executionName, executionArn, startedAt);
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
