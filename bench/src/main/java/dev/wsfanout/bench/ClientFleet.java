package dev.wsfanout.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Real WebSocket clients in separate JVMs ({@link ClientProcess}, each a {@link ClientJvm}). Each
 * holds a share of the sockets and reports, on request, when its clients received a broadcast, or
 * which broadcasts they missed.
 */
public final class ClientFleet implements AutoCloseable {

    /** Handshakes in flight per client JVM: the gateway runs $connect on 64 threads, so more would only queue. */
    private static final int PARALLEL_HANDSHAKES = 32;

    private final List<Client> processes;

    private record Client(ClientJvm jvm, int sockets) {
    }

    private ClientFleet(List<Client> processes) {
        this.processes = processes;
    }

    /**
     * Starts {@code ceil(total / perProcess)} client JVMs and waits until all their sockets are open.
     *
     * @throws IllegalStateException naming the process and its error when one cannot connect all its clients
     */
    public static ClientFleet connect(URI webSocketUri, int total, int perProcess, Progress progress) {
        return connect(webSocketUri, total, perProcess, PARALLEL_HANDSHAKES, progress);
    }

    /** {@link #connect(URI, int, int, Progress)} with {@code parallelHandshakes} in flight per client JVM. */
    public static ClientFleet connect(URI webSocketUri, int total, int perProcess, int parallelHandshakes, Progress progress) {
        List<Client> started = new ArrayList<>();
        ClientFleet fleet = new ClientFleet(started);
        try {
            for (int left = total; left > 0; left -= perProcess) {
                started.add(spawn(webSocketUri, Math.min(left, perProcess), parallelHandshakes));
            }
            for (int i = 0; i < started.size(); i++) {
                Client c = started.get(i);
                String line = c.jvm().await(ClientProcess.CONNECTED);
                progress.say("client JVM %d/%d (pid %d): %s", i + 1, started.size(), c.jvm().pid(), line);
            }
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private static Client spawn(URI uri, int sockets, int parallelHandshakes) {
        return new Client(ClientJvm.start(ClientProcess.class,
                List.of(uri.toString(), Integer.toString(sockets), Integer.toString(parallelHandshakes))), sockets);
    }

    public int size() {
        return processes.stream().mapToInt(Client::sockets).sum();
    }

    public List<Long> pids() {
        return processes.stream().map(c -> c.jvm().pid()).toList();
    }

    /** Asks every client JVM, in parallel, for the receipts of {@code broadcastId}, waiting up to {@code timeout} for stragglers. */
    public Receipts collect(String broadcastId, Duration timeout) {
        return ClientJvm.askAll(jvms(), "COLLECT " + broadcastId + " " + timeout.toMillis(), ClientProcess.RECEIPTS,
                line -> receipts(line, broadcastId), Receipts.NONE, Receipts::plus);
    }

    private static Receipts receipts(String line, String broadcastId) {
        String[] words = line.split(" ");
        if (words.length != 5 || !words[1].equals(broadcastId)) {
            throw new IllegalStateException("a client JVM answered for the wrong broadcast: "
                    + String.join(" ", List.of(words).subList(0, Math.min(3, words.length))));
        }
        return Receipts.parse(words[2], words[3], words[4]);
    }

    /**
     * Asks every client JVM which of {@code broadcastIds} its open clients missed, each waiting up
     * to {@code timeout} in all for copies still on their way.
     */
    public MissedBroadcasts missed(List<String> broadcastIds, Duration timeout) {
        return ClientJvm.askAll(jvms(), ClientProcess.MISSED + " " + timeout.toMillis() + " " + String.join(",", broadcastIds),
                ClientProcess.MISSED, MissedBroadcasts::parse, MissedBroadcasts.NONE, MissedBroadcasts::plus);
    }

    private List<ClientJvm> jvms() {
        return processes.stream().map(Client::jvm).toList();
    }

    @Override
    public void close() {
        ClientJvm.exitAll(jvms());
    }
}
