package dev.wsfanout.local.gateway;

import dev.wsfanout.local.Eventually;
import dev.wsfanout.local.lambda.LocalFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the registry is only as true as the lifecycle events. A $disconnect must reach its
 * function for every accepted connection even when the function fails for a while, must not wait
 * behind a storm of $connects, and a request no handshake can answer must not reach $connect.
 */
class DisconnectDeliveryTest {

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void aDisconnectWhoseFunctionFailsIsTriedAgainUntilItIsDelivered() throws Exception {
        RecordingRoute connect = own(RecordingRoute.answering("connect", 200));
        RecordingRoute disconnect = own(RecordingRoute.failingFirst("disconnect", 2));
        WebSocketGateway gateway = own(WebSocketGateway.builder().connectRoute(connect.function())
                .disconnectRoute(disconnect.function()).build().start());

        RecordingClient.connect(HttpClient.newHttpClient(), gateway.webSocketUri()).get(10, TimeUnit.SECONDS).close();

        List<?> tries = disconnect.awaitEvents(3);
        assertEquals(3, tries.size(), "two failures, then the delivery");
        GatewayCounters counters = gateway.counters();
        assertEquals(2, counters.disconnectRetries());
        assertEquals(0, counters.routeErrors());
        assertEquals(1, counters.disconnects());
    }

    @Test
    void droppedDisconnectsAreCountedAndNeverDelivered() throws Exception {
        RecordingRoute connect = own(RecordingRoute.answering("connect", 200));
        RecordingRoute disconnect = own(RecordingRoute.answering("disconnect", 200));
        WebSocketGateway gateway = own(WebSocketGateway.builder().connectRoute(connect.function())
                .disconnectRoute(disconnect.function()).droppedDisconnects(1.0, 1).build().start());

        RecordingClient.connect(HttpClient.newHttpClient(), gateway.webSocketUri()).get(10, TimeUnit.SECONDS).close();

        Eventually.until(() -> gateway.counters().disconnectsDropped() == 1, () -> "counters: " + gateway.counters());
        assertEquals(0, gateway.counters().realConnectionsOpen());
        assertTrue(disconnect.events().isEmpty());
    }

    /** Before, $disconnect ran on the $connect threads: a slow $connect storm held every one of them. */
    @Test
    void aDisconnectIsNotHeldBehindAStormOfSlowConnects() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LocalFunction slowConnect = own(LocalFunction.ofStream("connect", (in, out, context) -> {
            if (new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"hold\"")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.write("{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
        }, 200, Duration.ofSeconds(30)));
        RecordingRoute disconnect = own(RecordingRoute.answering("disconnect", 200));
        WebSocketGateway gateway = own(WebSocketGateway.builder().connectRoute(slowConnect)
                .disconnectRoute(disconnect.function()).build().start());
        HttpClient http = HttpClient.newHttpClient();
        RecordingClient early = RecordingClient.connect(http, gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
        try {
            for (int i = 0; i < 100; i++) {
                RecordingClient.connect(http, URI.create(gateway.webSocketUri() + "?hold=" + i));
            }
            Eventually.until(() -> slowConnectsWaiting(gateway), () -> "connects in flight: " + gateway.counters());

            early.close();

            disconnect.awaitEvents(1);
        } finally {
            release.countDown();
        }
    }

    /** Before, $connect ran (and registered the connection) for an upgrade the gateway then could not answer. */
    @Test
    void anUpgradeNoHandshakeCanAnswerIsRefusedWithoutRunningConnect() throws Exception {
        RecordingRoute connect = own(RecordingRoute.answering("connect", 200));
        WebSocketGateway gateway = own(WebSocketGateway.builder().connectRoute(connect.function()).build().start());
        URI uri = gateway.webSocketUri();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 426 Upgrade Required", status);
        }
        assertTrue(connect.events().isEmpty(), "$connect never saw it");
        assertEquals(1, gateway.counters().connectsRejected());
        assertEquals(0, gateway.counters().connectsAccepted());
    }

    private static boolean slowConnectsWaiting(WebSocketGateway gateway) {
        // 64 route threads: once they are all taken by held connects, the storm is on.
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("lambda-connect") && t.getState() == Thread.State.TIMED_WAITING)
                .count() >= 64;
    }

    private <T extends AutoCloseable> T own(T resource) {
        closing.add(resource);
        return resource;
    }
}
