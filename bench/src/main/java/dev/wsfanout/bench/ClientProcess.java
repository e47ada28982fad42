package dev.wsfanout.bench;

import dev.wsfanout.clients.WebSocketSwarm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A client JVM of the benchmark: holds {@code count} real WebSocket connections to the gateway, so
 * the gateway's JVM does not also pay for the client side of 15,000 sockets. Talks to
 * {@link ClientFleet} over stdin/stdout, one line per message:
 * <pre>
 * out: CONNECTED n                       once every socket is open (or ERROR text, then exit 1)
 * in:  COLLECT broadcastId timeoutMillis
 * out: RECEIPTS broadcastId missing duplicates t1,t2,...   first receipt per client, epoch ms
 * in:  MISSED timeoutMillis id1,id2,...   which of these broadcasts the clients still open missed
 * out: MISSED open closed missedPairs clientsWithMiss   (see {@link MissedBroadcasts})
 * in:  EXIT
 * </pre>
 * Usage: {@code java -cp wsfanout-bench.jar dev.wsfanout.bench.ClientProcess <ws-uri> <count> <parallelHandshakes>}
 */
public final class ClientProcess {

    public static final String CONNECTED = "CONNECTED";
    public static final String RECEIPTS = "RECEIPTS";
    public static final String MISSED = "MISSED";
    public static final String ERROR = ClientJvm.ERROR;
    private static final int CONNECT_ATTEMPTS = 3;

    private ClientProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ClientProcess <ws-uri> <count> <parallelHandshakes>");
            System.exit(2);
        }
        // Only the protocol goes to stdout; anything a library prints must not be mistaken for it.
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int count = Integer.parseInt(args[1]);
        WebSocketSwarm swarm = connect(URI.create(args[0]), count, Integer.parseInt(args[2]), protocol);
        // connect() returns once every handshake completed (it throws otherwise), a moment before its own count catches up.
        protocol.println(CONNECTED + " " + count);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split(" ");
            if (words[0].equals("COLLECT") && words.length == 3) {
                protocol.println(receipts(swarm, words[1], Duration.ofMillis(Long.parseLong(words[2]))));
            } else if (words[0].equals(MISSED) && words.length == 3) {
                protocol.println(MISSED + " " + missed(swarm, List.of(words[2].split(",")), Duration.ofMillis(Long.parseLong(words[1]))).words());
            } else if (words[0].equals("EXIT")) {
                break;
            } else {
                System.err.println("ClientProcess: unknown command '" + line + "'");
            }
        }
        swarm.close();
        System.exit(0);
    }

    /**
     * Opens the sockets, starting over (the failed attempt's sockets closed) when some handshakes
     * failed: on a machine loaded by other builds, $connect can outlast the client's 10 s handshake
     * timeout while the stack is still cold.
     */
    private static WebSocketSwarm connect(URI uri, int count, int parallelHandshakes, PrintStream protocol) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            try {
                return WebSocketSwarm.connect(uri, count, parallelHandshakes, n -> { });
            } catch (RuntimeException e) {
                last = e;
                System.err.println("ClientProcess: attempt " + attempt + " of " + CONNECT_ATTEMPTS + ": " + e.getMessage());
            }
        }
        protocol.println(ERROR + " " + last.getMessage().replace('\n', ' '));
        System.exit(1);
        throw last;
    }

    private static String receipts(WebSocketSwarm swarm, String broadcastId, Duration timeout) {
        swarm.awaitAll(broadcastId, timeout);
        StringBuilder times = new StringBuilder();
        int missing = 0;
        int duplicates = 0;
        for (WebSocketSwarm.Client client : swarm.clients()) {
            List<Long> receipts = client.receipts(broadcastId);
            if (receipts.isEmpty()) {
                missing++;
                continue;
            }
            duplicates += receipts.size() - 1;
            if (times.length() > 0) {
                times.append(',');
            }
            times.append(receipts.get(0));
        }
        return RECEIPTS + " " + broadcastId + " " + missing + " " + duplicates + " " + (times.length() == 0 ? "-" : times);
    }

    /** Waits, up to {@code timeout} for all of them together, for copies still on their way, then counts what is missing. */
    private static MissedBroadcasts missed(WebSocketSwarm swarm, List<String> broadcastIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : broadcastIds) {
            swarm.awaitAll(id, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        int open = 0;
        int closed = 0;
        long pairs = 0;
        int clients = 0;
        for (WebSocketSwarm.Client client : swarm.clients()) {
            if (!client.isOpen()) {
                closed++;
                continue;
            }
            open++;
            long missed = broadcastIds.stream().filter(id -> client.receipts(id).isEmpty()).count();
            pairs += missed;
            if (missed > 0) {
                clients++;
            }
        }
        return new MissedBroadcasts(open, closed, pairs, clients);
    }
}
