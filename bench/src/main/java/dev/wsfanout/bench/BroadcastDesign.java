package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.CompletableFuture;

/**
 * One way to broadcast a message to every connection in the stack's connections table. The
 * benchmark starts it and watches the gateway for the deliveries, so every design is timed the
 * same way, from the call that starts it to the last delivery.
 */
public interface BroadcastDesign extends AutoCloseable {

    String name();

    /**
     * Starts the broadcast; every client is to receive {@code {"broadcastId":..,"data":message}}.
     *
     * @return completes when the design's own entry point returns (the execution ends, the function
     *         returns), which may be before or after the last delivery
     */
    CompletableFuture<String> start(String broadcastId, JsonNode message);

    /**
     * Whether every post has been answered once {@link #start}'s future completes. Then a broadcast
     * whose deliveries stop short of every connection is over (the rest failed); otherwise the
     * design may still deliver later (the seed's redrive after the visibility timeout).
     */
    default boolean postsSettleWithEntry() {
        return true;
    }

    /** Releases what the design created (functions, mappings, clients); the stack stays up. */
    @Override
    default void close() {
    }
}
