package dev.wsfanout.local.gateway;

import dev.wsfanout.local.Eventually;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConnectionTimeoutsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anIdleConnectionIsClosedByTheGatewayAndDisconnected() throws Exception {
        try (RecordingRoute disconnect = RecordingRoute.answering("disconnect", 200);
             WebSocketGateway gateway = WebSocketGateway.builder()
                     .disconnectRoute(disconnect.function())
                     .idleTimeout(Duration.ofMillis(300))
                     .build().start()) {
            RecordingClient client = RecordingClient.connect(http, gateway.webSocketUri()).get(10, TimeUnit.SECONDS);

            assertEquals(CloseStatus.GOING_AWAY.code(), client.closeCode().get(10, TimeUnit.SECONDS));
            JsonNode context = disconnect.awaitEvents(1).get(0).get("requestContext");
            assertEquals(1001, context.get("disconnectStatusCode").asInt());
            assertEquals("Going away", context.get("disconnectReason").asText());
            Eventually.until(() -> gateway.counters().realConnectionsOpen() == 0, () -> "still open");
        }
    }

    @Test
    void messagesFromTheClientKeepAConnectionFromIdling() throws Exception {
        try (WebSocketGateway gateway = WebSocketGateway.builder().idleTimeout(Duration.ofMillis(1000)).build().start()) {
            RecordingClient client = RecordingClient.connect(http, gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                Thread.sleep(150);
                client.sendText("{\"action\":\"ping\"}");
            }
            assertFalse(client.closeCode().isDone(), "active for 1.5 s with a 1 s idle timeout, still open");
            assertEquals(1001, client.closeCode().get(10, TimeUnit.SECONDS), "closed once it stopped talking");
        }
    }

    @Test
    void aConnectionIsClosedAfterTheMaximumDurationEvenWhenActive() throws Exception {
        try (RecordingRoute disconnect = RecordingRoute.answering("disconnect", 200);
             WebSocketGateway gateway = WebSocketGateway.builder()
                     .disconnectRoute(disconnect.function())
                     .maxDuration(Duration.ofMillis(400))
                     .build().start()) {
            RecordingClient client = RecordingClient.connect(http, gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
            client.sendText("still here");

            assertEquals(1001, client.closeCode().get(10, TimeUnit.SECONDS));
            assertEquals(1001, disconnect.awaitEvents(1).get(0).get("requestContext").get("disconnectStatusCode").asInt());
        }
    }

    @Test
    void timeoutsMustBePositive() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> WebSocketGateway.builder().idleTimeout(Duration.ZERO).build());
        assertEquals("idleTimeout must be positive, was PT0S", zero.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> WebSocketGateway.builder().maxDuration(Duration.ofSeconds(-1)).build());
    }
}
