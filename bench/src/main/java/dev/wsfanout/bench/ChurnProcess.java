package dev.wsfanout.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A client JVM of the registry soak: {@code slots} WebSocket clients that each cycle until told to
 * stop: connect, stay a random time, leave with a close frame or by aborting the TCP connection;
 * one attempt in ten instead sends the upgrade request on a raw socket and closes it before the
 * answer. A refused connect (502 when $connect fails or outlasts its timeout) just moves on. The
 * JDK's WebSocket client, not Netty's: it can abort a connection without a close frame, and
 * hands back the status of a refused handshake. Talks to {@link ChurnFleet} over stdin/stdout:
 * <pre>
 * out: READY slots                 the slots have started
 * in:  STOP                        no new cycles; every open connection is closed with a close frame
 * out: CHURNED name=value ...      once every slot has ended (see {@link ChurnTally})
 * in:  EXIT
 * </pre>
 * Usage: {@code java -cp wsfanout-bench.jar dev.wsfanout.bench.ChurnProcess <ws-uri> <slots> <seed> <minStayMillis> <maxStayMillis>}
 */
public final class ChurnProcess {

    public static final String READY = "READY";
    public static final String CHURNED = "CHURNED";
    /** Of the attempts, the share that abandons the handshake. */
    static final double ABANDON = 0.1;
    /** Of the accepted connections, the share that leaves with a close frame; the rest abort. */
    static final double CLEAN = 0.5;
    /** Past the gateway's queue of $connects and the connect timeout, so a refusal is seen as the gateway's answer. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a clean close waits for the gateway's close frame before dropping the connection. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final int MAX_PAUSE_MILLIS = 200;

    private final URI uri;
    private final long minStayMillis;
    private final long maxStayMillis;
    private final Random random;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<Slot> slots = new ArrayList<>();
    private final CountDownLatch ended;
    private volatile boolean stopping;

    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused502 = new LongAdder();
    private final LongAdder refusedOther = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder gaveUp = new LongAdder();
    private final LongAdder clean = new LongAdder();
    private final LongAdder abrupt = new LongAdder();
    private final LongAdder abandoned = new LongAdder();
    private final LongAdder closedAtStop = new LongAdder();

    private ChurnProcess(URI uri, int slotCount, long seed, long minStayMillis, long maxStayMillis) {
        this.uri = uri;
        this.minStayMillis = minStayMillis;
        this.maxStayMillis = maxStayMillis;
        this.random = new Random(seed);
        this.ended = new CountDownLatch(slotCount);
        for (int i = 0; i < slotCount; i++) {
            slots.add(new Slot());
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: ChurnProcess <ws-uri> <slots> <seed> <minStayMillis> <maxStayMillis>");
            System.exit(2);
        }
        // Only the protocol goes to stdout; anything a library prints must not be mistaken for it.
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        ChurnProcess churn = new ChurnProcess(URI.create(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]),
                Long.parseLong(args[3]), Long.parseLong(args[4]));
        churn.start();
        protocol.println(READY + " " + churn.slots.size());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.trim();
            if (command.equals("STOP")) {
                protocol.println(churn.stop()
                        ? CHURNED + " " + churn.tally().words()
                        : ClientJvm.ERROR + " churning clients still busy " + STOP_WAIT.toSeconds() + " s after STOP");
            } else if (command.equals("EXIT")) {
                break;
            } else {
                System.err.println("ChurnProcess: unknown command '" + line + "'");
            }
        }
        System.exit(0);
    }

    /** Starts every slot at a random moment within the longest stay, so the connects do not all come at once. */
    private void start() {
        for (Slot slot : slots) {
            slot.after(between(0, maxStayMillis), slot::cycle);
        }
    }

    /** Ends every slot (those waiting are woken at once) and waits until each has closed its connection. */
    private boolean stop() throws InterruptedException {
        stopping = true;
        for (Slot slot : slots) {
            slot.wake();
        }
        return ended.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ChurnTally tally() {
        return new ChurnTally(accepted.sum(), refused502.sum(), refusedOther.sum(), errors.sum(), gaveUp.sum(), clean.sum(), abrupt.sum(),
                abandoned.sum(), closedAtStop.sum());
    }

    private long between(long min, long max) {
        return min + (long) (random.nextDouble() * (max - min));
    }

    /** One client's cycle of connections, one step at a time on the scheduler or the HTTP client's threads. */
    private final class Slot {

        private ScheduledFuture<?> pending;
        private Runnable pendingStep;

        /** Runs {@code step} after {@code delayMillis}; at once when the churn is stopping (see {@link #wake}). */
        void after(long delayMillis, Runnable step) {
            synchronized (this) {
                if (!stopping) {
                    pendingStep = step;
                    pending = scheduler.schedule(this::runPending, delayMillis, TimeUnit.MILLISECONDS);
                    return;
                }
            }
            step.run();
        }

        /** Runs the waiting step now, unless it has already started. */
        void wake() {
            synchronized (this) {
                if (pending == null || !pending.cancel(false)) {
                    return;
                }
            }
            scheduler.execute(this::runPending);
        }

        private void runPending() {
            Runnable step;
            synchronized (this) {
                step = pendingStep;
                pending = null;
                pendingStep = null;
            }
            step.run();
        }

        void cycle() {
            if (stopping) {
                ended.countDown();
                return;
            }
            if (random.nextDouble() < ABANDON) {
                abandonHandshake();
                after(between(0, MAX_PAUSE_MILLIS), this::cycle);
                return;
            }
            Closing listener = new Closing();
            http.newWebSocketBuilder().connectTimeout(HANDSHAKE_TIMEOUT).buildAsync(uri, listener).whenComplete((socket, error) -> {
                if (error != null) {
                    refused(error);
                    after(between(0, MAX_PAUSE_MILLIS), this::cycle);
                } else {
                    accepted.increment();
                    boolean leaveCleanly = random.nextDouble() < CLEAN;
                    after(between(minStayMillis, maxStayMillis), () -> leave(socket, listener, leaveCleanly));
                }
            });
        }

        private void leave(WebSocket socket, Closing listener, boolean cleanly) {
            if (stopping) {
                closedAtStop.increment();
                listener.closeCleanly(socket).whenComplete((v, e) -> ended.countDown());
                return;
            }
            if (cleanly) {
                clean.increment();
                listener.closeCleanly(socket);
            } else {
                abrupt.increment();
                socket.abort();
            }
            after(between(0, MAX_PAUSE_MILLIS), this::cycle);
        }
    }

    private void refused(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake) {
            (handshake.getResponse().statusCode() == 502 ? refused502 : refusedOther).increment();
        } else if (cause instanceof HttpTimeoutException) {
            gaveUp.increment();
        } else {
            errors.increment();
        }
    }

    /**
     * The upgrade request on a raw socket, closed as soon as it is written: the gateway may run
     * $connect for a client that is already gone.
     */
    private void abandonHandshake() {
        abandoned.increment();
        byte[] key = new byte[16];
        random.nextBytes(key);
        String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) HANDSHAKE_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            errors.increment();
        }
    }

    /** Reads (and drops) what the gateway sends, and completes {@link #closed} when the connection has ended. */
    private final class Closing implements WebSocket.Listener {

        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        /**
         * Sends a close frame and waits for the gateway's, dropping the connection if it has not
         * come within {@link #CLOSE_WAIT}; completes when the connection is gone.
         */
        CompletableFuture<Void> closeCleanly(WebSocket socket) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
            return closed.completeOnTimeout(null, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((v, e) -> socket.abort());
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(null);
        }
    }
}
