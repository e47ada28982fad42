package dev.wsfanout.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * How big one chaos run is.
 *
 * @param name             what the report calls it
 * @param connections      connections in all: the real sockets and the virtual connections
 * @param sockets          how many of them are real WebSocket sockets (the rest are virtual)
 * @param partitions       PARTITION_COUNT: a few hundred, so the Map has enough batches for every
 *                         tenth to be rerun and the shards enough chunks to crash a few
 * @param deliveryDeadline the state machine's DeliveryDeadlineSeconds: a broadcast that cannot
 *                         settle fails with the recount instead of keeping the run waiting
 */
public record ChaosSize(String name, int connections, int sockets, int partitions, Duration deliveryDeadline) {

    public ChaosSize {
        if (connections < 1) {
            throw new IllegalArgumentException("--connections must be at least 1, was " + connections);
        }
        if (sockets < 0 || sockets > connections) {
            throw new IllegalArgumentException("--sockets must be between 0 and the connections (" + connections + "), was " + sockets);
        }
    }

    /** CI's size: must finish in under 3 minutes on the 2-core machine. */
    public static ChaosSize small() {
        return new ChaosSize("small", 2_000, 500, 200, Duration.ofMinutes(2));
    }

    public static ChaosSize full() {
        return new ChaosSize("full", 20_000, 5_000, 1_000, Duration.ofMinutes(8));
    }

    public static ChaosSize named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "small" -> small();
            case "full" -> full();
            default -> throw new IllegalArgumentException("--size must be small or full, was '" + name + "'");
        };
    }

    public ChaosSize resized(int connections, int sockets) {
        return new ChaosSize(name, connections, sockets, partitions, deliveryDeadline);
    }

    public int virtualConnections() {
        return connections - sockets;
    }
}
