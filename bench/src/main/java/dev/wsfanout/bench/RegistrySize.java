package dev.wsfanout.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * How big one registry soak is.
 *
 * @param name              what the output calls it
 * @param stableClients     real clients connected before the churn and the first broadcast, open to the end
 * @param stablePerProcess  of them, per client JVM ({@link ClientProcess})
 * @param churnProcesses    client JVMs of churning clients ({@link ChurnProcess})
 * @param churnSlotsEach    churning clients per such JVM, each one connection at a time
 * @param minStay           the shortest a churning connection stays open
 * @param maxStay           the longest
 * @param churnDuration     how long the churn, the faults and the broadcasts last
 * @param partitions        PARTITION_COUNT
 * @param broadcastInterval one broadcast is started this often while the churn runs
 */
public record RegistrySize(String name, int stableClients, int stablePerProcess, int churnProcesses, int churnSlotsEach,
                           Duration minStay, Duration maxStay, Duration churnDuration, int partitions, Duration broadcastInterval) {

    /** CI's size: the whole run in under 2.5 minutes on the 2-core machine. */
    public static RegistrySize small() {
        return new RegistrySize("small", 500, 500, 1, 150, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(45), 200, Duration.ofSeconds(5));
    }

    /**
     * At least 10,000 upgrade requests from real clients over 6 minutes of churn: two churn JVMs
     * of 250 clients each, each staying 1–6 s. On the 2 shared cores the $connects, not the
     * clients, set the pace (30–60 a second, with other work on the machine); more churning
     * clients only wait longer for the gateway (at 800, half of them gave up after 30 s while it
     * was loaded). A broadcast every 30 s: each posts to every open connection, churners that just
     * left included (retried until their rows are old enough to remove), and more often piles up
     * until the cores do nothing else. The stable clients send a keep-alive every 4 minutes, so the
     * run is not bounded by the gateway's 10-minute idle timeout.
     */
    public static RegistrySize full() {
        return new RegistrySize("full", 4_000, 2_000, 2, 250, Duration.ofSeconds(1), Duration.ofSeconds(6),
                Duration.ofMinutes(6), 500, Duration.ofSeconds(30));
    }

    public static RegistrySize named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "small" -> small();
            case "full" -> full();
            default -> throw new IllegalArgumentException("--size must be small or full, was '" + name + "'");
        };
    }

    /** Churning clients at once, over every churn JVM. */
    public int churnSlots() {
        return churnProcesses * churnSlotsEach;
    }
}
