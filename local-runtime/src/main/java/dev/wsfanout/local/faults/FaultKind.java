package dev.wsfanout.local.faults;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The faults the proxy injects: the ones AWS produces every day. */
public enum FaultKind {
    /**
     * The service's own throttle, HTTP 400: DynamoDB {@code ProvisionedThroughputExceededException}, SQS
     * {@code RequestThrottled}. Not forwarded. The SDK maps it to its exception class and retries it as a
     * throttle.
     */
    THROTTLE,
    /** DynamoDB's {@code ThrottlingException} (on-demand capacity), HTTP 400. DynamoDB only. Not forwarded. */
    THROTTLING_EXCEPTION,
    /** HTTP 500 in the service's shape: DynamoDB {@code InternalServerError}, SQS {@code InternalError}. Not forwarded. */
    SERVER_ERROR,
    /**
     * No answer: the request is neither forwarded nor answered; the connection is closed once the client
     * gives up or the rule's hold time has passed.
     */
    TIMEOUT,
    /**
     * Forwarded and applied, but the answer never arrives: the proxy waits for the upstream's response, drops
     * it and closes the client's connection, so the client sees an I/O error for a write that happened.
     */
    RESPONSE_LOST;

    /** The name used in fault plans: {@code throttle}, {@code response_lost}, ... */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the known kinds when {@code name} is none of them */
    public static FaultKind fromJsonName(String name) {
        for (FaultKind kind : values()) {
            if (kind.jsonName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("fault \"" + name + "\" is not one of "
                + Arrays.stream(values()).map(FaultKind::jsonName).collect(Collectors.joining(", ")));
    }
}
