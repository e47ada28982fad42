package dev.wsfanout.local.gateway;

import dev.wsfanout.local.Eventually;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API Gateway's 500 new connections per second per account: upgrades beyond the rate are refused with 429. */
class ConnectRateLimitTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void upgradesBeyondTheRateAreRefusedWith429BeforeConnectRuns() throws Exception {
        try (RecordingRoute connect = RecordingRoute.answering("connect", 200);
             WebSocketGateway gateway = WebSocketGateway.builder().connectRoute(connect.function())
                     .connectRateLimit(1, 3).build().start()) {
            URI uri = gateway.webSocketUri();

            int accepted = 0;
            int throttled = 0;
            String throttledHead = null;
            String throttledBody = null;
            long started = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                try (RawUpgrade upgrade = new RawUpgrade(uri, 0)) {
                    if (upgrade.status() == 101) {
                        accepted++;
                    } else {
                        assertEquals(429, upgrade.status(), upgrade.head());
                        throttled++;
                        throttledHead = upgrade.head();
                        throttledBody = upgrade.body();
                        assertEquals("application/json", upgrade.header("Content-Type"));
                        assertEquals("close", upgrade.header("Connection"));
                    }
                }
            }
            double elapsedSeconds = (System.nanoTime() - started) / 1e9;

            assertTrue(accepted >= 3, "the burst of 3 passes: " + accepted);
            assertTrue(accepted <= 3 + Math.ceil(elapsedSeconds), "then 1 per second: " + accepted + " in " + elapsedSeconds + " s");
            assertTrue(throttled >= 1, "the rest is refused: " + throttled);
            assertTrue(throttledHead.startsWith("HTTP/1.1 429 Too Many Requests"), throttledHead);
            assertEquals("{\"message\":\"Too Many Requests\"}", throttledBody);
            int passed = accepted;
            Eventually.until(() -> connect.events().size() == passed,
                    () -> "$connect runs only for the upgrades within the rate: " + connect.events().size());
            GatewayCounters counters = gateway.counters();
            assertEquals(throttled, counters.connectsThrottled());
            assertEquals(throttled, counters.connectsRejected(), "a throttled upgrade is a refused one");
        }
    }

    @Test
    void aJdkClientSeesTheRefusalAsAHandshakeFailureWith429AndConnectsAgainOnceTheRateAllows() throws Exception {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        try (WebSocketGateway gateway = WebSocketGateway.builder().connectRateLimit(2, 1, nanos::get).build().start()) {
            RecordingClient.connect(http, gateway.webSocketUri()).join();

            CompletionException refused = assertThrows(CompletionException.class,
                    () -> RecordingClient.connect(http, gateway.webSocketUri()).join());
            assertEquals(429, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());

            // Two a second: half a second on the bucket's clock refills one.
            nanos.addAndGet(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500));
            RecordingClient.connect(http, gateway.webSocketUri()).join();
            assertEquals(2, gateway.counters().realConnectionsOpen());
        }
    }

    @Test
    void withoutAConnectRateEveryUpgradeIsServed() throws Exception {
        try (WebSocketGateway gateway = WebSocketGateway.builder().build().start()) {
            for (int i = 0; i < 20; i++) {
                try (RawUpgrade upgrade = new RawUpgrade(gateway.webSocketUri(), 0)) {
                    assertEquals(101, upgrade.status());
                }
            }
            assertEquals(0, gateway.counters().connectsThrottled());
        }
    }
}
