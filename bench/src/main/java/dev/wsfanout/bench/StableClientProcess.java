package dev.wsfanout.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A client JVM of the registry soak's stable clients ({@link StableClients}: open to the end,
 * each sending a keep-alive message every few minutes). Talks to {@link StableFleet} over
 * stdin/stdout, one line per message:
 * <pre>
 * out: CONNECTED n                       once every client is open (or ERROR text, then exit 1)
 * in:  MISSED timeoutMillis id1,id2,...   which of these broadcasts the clients still open missed
 * out: MISSED open closed missedPairs clientsWithMiss   (see {@link MissedBroadcasts})
 * in:  STATUS
 * out: STATUS keepAlivesSent open closed closeStatuses  e.g. {@code STATUS 812 2000 0 -}, or {@code ... 1001:3,-1:1}
 * in:  EXIT
 * </pre>
 * Usage: {@code java -cp wsfanout-bench.jar dev.wsfanout.bench.StableClientProcess <ws-uri> <count> <parallelHandshakes> <keepAliveMillis> <seed>}
 */
public final class StableClientProcess {

    public static final String CONNECTED = "CONNECTED";
    public static final String MISSED = "MISSED";
    public static final String STATUS = "STATUS";
    private static final int CONNECT_ATTEMPTS = 3;

    private StableClientProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: StableClientProcess <ws-uri> <count> <parallelHandshakes> <keepAliveMillis> <seed>");
            System.exit(2);
        }
        // Only the protocol goes to stdout; anything a library prints must not be mistaken for it.
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int count = Integer.parseInt(args[1]);
        StableClients clients = connect(URI.create(args[0]), count, Integer.parseInt(args[2]),
                Duration.ofMillis(Long.parseLong(args[3])), Long.parseLong(args[4]), protocol);
        protocol.println(CONNECTED + " " + count);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split(" ");
            if (words[0].equals(MISSED) && words.length == 3) {
                protocol.println(MISSED + " " + missed(clients, List.of(words[2].split(",")),
                        Duration.ofMillis(Long.parseLong(words[1]))).words());
            } else if (words[0].equals(MISSED) && words.length == 2) {
                // No broadcast to check.
                protocol.println(MISSED + " " + missed(clients, List.of(), Duration.ZERO).words());
            } else if (words[0].equals(STATUS)) {
                protocol.println(status(clients));
            } else if (words[0].equals("EXIT")) {
                break;
            } else {
                System.err.println("StableClientProcess: unknown command '" + line + "'");
            }
        }
        clients.close();
        System.exit(0);
    }

    /** Opens the clients, starting over (the failed attempt's sockets closed) when some handshakes failed. */
    private static StableClients connect(URI uri, int count, int parallelHandshakes, Duration keepAlive, long seed,
                                         PrintStream protocol) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            try {
                return StableClients.connect(uri, count, parallelHandshakes, keepAlive, seed);
            } catch (RuntimeException e) {
                last = e;
                System.err.println("StableClientProcess: attempt " + attempt + " of " + CONNECT_ATTEMPTS + ": " + e.getMessage());
            }
        }
        protocol.println(ClientJvm.ERROR + " " + last.getMessage().replace('\n', ' '));
        System.exit(1);
        throw last;
    }

    /** Waits, up to {@code timeout} for all of them together, for copies still on their way, then counts what is missing. */
    private static MissedBroadcasts missed(StableClients clients, List<String> broadcastIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : broadcastIds) {
            clients.awaitAll(id, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        int open = 0;
        int closed = 0;
        long pairs = 0;
        int withMiss = 0;
        for (StableClients.Client client : clients.clients()) {
            if (!client.isOpen()) {
                closed++;
                continue;
            }
            open++;
            long missed = broadcastIds.stream().filter(id -> !client.received(id)).count();
            pairs += missed;
            if (missed > 0) {
                withMiss++;
            }
        }
        return new MissedBroadcasts(open, closed, pairs, withMiss);
    }

    private static String status(StableClients clients) {
        Map<Integer, Integer> closeStatuses = new TreeMap<>();
        int open = 0;
        int closed = 0;
        for (StableClients.Client client : clients.clients()) {
            if (client.isOpen()) {
                open++;
            } else {
                closed++;
                closeStatuses.merge(client.closeStatus(), 1, Integer::sum);
            }
        }
        String statuses = closeStatuses.isEmpty() ? "-" : closeStatuses.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
        return STATUS + " " + clients.keepAlivesSent() + " " + open + " " + closed + " " + statuses;
    }
}
