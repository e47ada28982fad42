package dev.wsfanout.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Real WebSocket clients in separate JVMs ({@link ClientProcess}), started from this JVM's own
 * classpath. Each holds a share of the sockets and reports, on request, when its clients received
 * a broadcast.
 */
public final class ClientFleet implements AutoCloseable {

    /** Handshakes in flight per client JVM: the gateway runs $connect on 64 threads, so more would only queue. */
    private static final int PARALLEL_HANDSHAKES = 32;

    private final List<Client> processes;

    private record Client(Process process, PrintWriter commands, BufferedReader replies, int sockets) {
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
        List<Client> started = new ArrayList<>();
        ClientFleet fleet = new ClientFleet(started);
        try {
            for (int left = total; left > 0; left -= perProcess) {
                started.add(spawn(webSocketUri, Math.min(left, perProcess)));
            }
            for (int i = 0; i < started.size(); i++) {
                Client c = started.get(i);
                String line = readProtocolLine(c, ClientProcess.CONNECTED);
                progress.say("client JVM %d/%d (pid %d): %s", i + 1, started.size(), c.process().pid(), line);
            }
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private static Client spawn(URI uri, int sockets) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ClientProcess.class.getName(), uri.toString(), Integer.toString(sockets), Integer.toString(PARALLEL_HANDSHAKES))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            return new Client(process, new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8),
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), sockets);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a client JVM (" + java + "): " + e.getMessage(), e);
        }
    }

    public int size() {
        return processes.stream().mapToInt(Client::sockets).sum();
    }

    public List<Long> pids() {
        return processes.stream().map(c -> c.process().pid()).toList();
    }

    /** Asks every client JVM, in parallel, for the receipts of {@code broadcastId}, waiting up to {@code timeout} for stragglers. */
    public Receipts collect(String broadcastId, Duration timeout) {
        List<CompletableFuture<Receipts>> replies = new ArrayList<>();
        for (Client c : processes) {
            replies.add(CompletableFuture.supplyAsync(() -> {
                c.commands().println("COLLECT " + broadcastId + " " + timeout.toMillis());
                String[] words = readProtocolLine(c, ClientProcess.RECEIPTS).split(" ");
                if (words.length != 5 || !words[1].equals(broadcastId)) {
                    throw new IllegalStateException("client JVM " + c.process().pid() + " answered for the wrong broadcast: "
                            + String.join(" ", List.of(words).subList(0, Math.min(3, words.length))));
                }
                return Receipts.parse(words[2], words[3], words[4]);
            }));
        }
        Receipts all = Receipts.NONE;
        for (CompletableFuture<Receipts> r : replies) {
            all = all.plus(r.join());
        }
        return all;
    }

    private static String readProtocolLine(Client c, String expected) {
        try {
            String line;
            while ((line = c.replies().readLine()) != null) {
                if (line.startsWith(expected + " ")) {
                    return line;
                }
                if (line.startsWith(ClientProcess.ERROR + " ")) {
                    throw new IllegalStateException("client JVM " + c.process().pid() + ": " + line.substring(6));
                }
            }
            throw new IllegalStateException("client JVM " + c.process().pid() + " exited before answering " + expected);
        } catch (IOException e) {
            throw new UncheckedIOException("reading client JVM " + c.process().pid(), e);
        }
    }

    @Override
    public void close() {
        for (Client c : processes) {
            c.commands().println("EXIT");
        }
        for (Client c : processes) {
            try {
                if (!c.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    c.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                c.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
