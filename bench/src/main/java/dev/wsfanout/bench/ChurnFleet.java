package dev.wsfanout.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The registry soak's churning clients: {@link ChurnProcess} JVMs, started together and stopped together. */
final class ChurnFleet implements AutoCloseable {

    private final List<ClientJvm> processes;

    private ChurnFleet(List<ClientJvm> processes) {
        this.processes = processes;
    }

    /**
     * Starts {@code processes} JVMs of {@code slotsEach} churning clients, each JVM seeded apart,
     * and returns once all of them churn.
     */
    static ChurnFleet start(URI webSocketUri, int processes, int slotsEach, long seed, Duration minStay, Duration maxStay) {
        List<ClientJvm> started = new ArrayList<>();
        ChurnFleet fleet = new ChurnFleet(started);
        try {
            for (int i = 0; i < processes; i++) {
                started.add(ClientJvm.start(ChurnProcess.class, List.of(webSocketUri.toString(), Integer.toString(slotsEach),
                        Long.toString(seed + i), Long.toString(minStay.toMillis()), Long.toString(maxStay.toMillis()))));
            }
            for (ClientJvm jvm : started) {
                jvm.await(ChurnProcess.READY);
            }
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** Stops every JVM's churn (each closes its open connections) and sums what they did. */
    ChurnTally stop() {
        return ClientJvm.askAll(processes, "STOP", ChurnProcess.CHURNED, ChurnTally::parse, ChurnTally.NONE, ChurnTally::plus);
    }

    @Override
    public void close() {
        ClientJvm.exitAll(processes);
    }
}
