package dev.wsfanout.model;

import java.util.Objects;

/**
 * One WebSocket connection in the registry.
 *
 * @param connectionId        API Gateway's connection id
 * @param partitionId         the partition it was assigned to at $connect (1-based)
 * @param connectedAtMillis   epoch milliseconds of the $connect
 * @param expiresAtSeconds    epoch seconds after which the table may forget it (TTL attribute)
 */
public record Connection(String connectionId, int partitionId, long connectedAtMillis, long expiresAtSeconds) {
    public Connection {
        Objects.requireNonNull(connectionId, "connectionId");
        if (connectionId.isBlank()) {
            throw new IllegalArgumentException("connectionId must not be blank");
        }
        if (partitionId < 1) {
            throw new IllegalArgumentException("partitionId must be >= 1, was " + partitionId);
        }
    }
}
