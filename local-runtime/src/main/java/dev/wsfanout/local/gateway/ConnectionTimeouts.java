package dev.wsfanout.local.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * API Gateway's two connection limits: a connection with no message from its client for
 * {@code idle} is closed, and every connection is closed after {@code maxDuration}.
 */
record ConnectionTimeouts(Duration idle, Duration maxDuration) {

    static final ConnectionTimeouts AWS = new ConnectionTimeouts(Duration.ofMinutes(10), Duration.ofHours(2));

    ConnectionTimeouts {
        requirePositive("idleTimeout", idle);
        requirePositive("maxDuration", maxDuration);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
