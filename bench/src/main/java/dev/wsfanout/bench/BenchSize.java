package dev.wsfanout.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How big one benchmark run is.
 *
 * @param name                  what the report calls it
 * @param clients               real WebSocket clients, held by separate client JVMs
 * @param clientsPerProcess     sockets per client JVM (each JVM stays well under the 20,000 open files limit)
 * @param virtualConnections    connections without sockets for the scale section (the target; the run may
 *                              register fewer when registering them would exceed {@code registrationBudget})
 * @param registrationBudget    the longest the scale section may spend registering virtual connections
 * @param repetitions           broadcasts per design, for medians
 * @param ceilingConcurrencies  in-flight PostToConnection calls the ceiling loop tries
 * @param quotaRatePerSecond    the gateway rate limit of the quota section
 * @param quotaConnections      virtual connections of the quota section
 * @param designDeadline        how long one broadcast of any design may take before it is reported incomplete
 * @param postRate              POST_RATE of the stacks' postMessage; 0 = the local stack's default
 */
public record BenchSize(String name, int clients, int clientsPerProcess, int virtualConnections, Duration registrationBudget,
                        int repetitions, List<Integer> ceilingConcurrencies, int quotaRatePerSecond, int quotaConnections,
                        Duration designDeadline, int postRate) {

    public BenchSize {
        requireAtLeast("clients", clients, 1);
        requireAtLeast("clientsPerProcess", clientsPerProcess, 1);
        requireAtLeast("virtualConnections", virtualConnections, 1);
        requireAtLeast("repetitions", repetitions, 1);
        requireAtLeast("quotaRatePerSecond", quotaRatePerSecond, 10);
        requireAtLeast("quotaConnections", quotaConnections, 1);
        requireAtLeast("postRate", postRate, 0);
        if (ceilingConcurrencies.isEmpty()) {
            throw new IllegalArgumentException("ceilingConcurrencies must name at least one concurrency");
        }
        ceilingConcurrencies = List.copyOf(ceilingConcurrencies);
    }

    /** CI's size: every section end to end in a few minutes; the figures mean little. */
    public static BenchSize small() {
        return new BenchSize("small", 500, 250, 20_000, Duration.ofMinutes(2), 1, List.of(16, 64), 2_000, 4_000,
                Duration.ofSeconds(90), 0);
    }

    /** The sizes: 15,000 sockets, 600,000 virtual connections, 2,000/s quota, medians of 3. */
    public static BenchSize full() {
        return new BenchSize("full", 15_000, 5_000, 600_000, Duration.ofMinutes(16), 3, List.of(16, 64, 256), 2_000, 60_000,
                Duration.ofMinutes(3), 0);
    }

    public static BenchSize named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "small" -> small();
            case "full" -> full();
            default -> throw new IllegalArgumentException("--size must be small or full, was '" + name + "'");
        };
    }

    public BenchSize withClients(int value) {
        return new BenchSize(name, value, Math.min(clientsPerProcess, value), virtualConnections, registrationBudget, repetitions,
                ceilingConcurrencies, quotaRatePerSecond, quotaConnections, designDeadline, postRate);
    }

    public BenchSize withVirtualConnections(int value) {
        return new BenchSize(name, clients, clientsPerProcess, value, registrationBudget, repetitions,
                ceilingConcurrencies, quotaRatePerSecond, quotaConnections, designDeadline, postRate);
    }

    public BenchSize withRepetitions(int value) {
        return new BenchSize(name, clients, clientsPerProcess, virtualConnections, registrationBudget, value,
                ceilingConcurrencies, quotaRatePerSecond, quotaConnections, designDeadline, postRate);
    }

    public BenchSize withQuota(int ratePerSecond, int connections) {
        return new BenchSize(name, clients, clientsPerProcess, virtualConnections, registrationBudget, repetitions,
                ceilingConcurrencies, ratePerSecond, connections, designDeadline, postRate);
    }

    public BenchSize withRegistrationBudget(Duration value) {
        return new BenchSize(name, clients, clientsPerProcess, virtualConnections, value, repetitions,
                ceilingConcurrencies, quotaRatePerSecond, quotaConnections, designDeadline, postRate);
    }

    public BenchSize withPostRate(int value) {
        return new BenchSize(name, clients, clientsPerProcess, virtualConnections, registrationBudget, repetitions,
                ceilingConcurrencies, quotaRatePerSecond, quotaConnections, designDeadline, value);
    }

    public int clientProcesses() {
        return (clients + clientsPerProcess - 1) / clientsPerProcess;
    }

    private static void requireAtLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", was " + value);
        }
    }
}
