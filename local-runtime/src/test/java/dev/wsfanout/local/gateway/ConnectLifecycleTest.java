package dev.wsfanout.local.gateway;

import dev.wsfanout.local.Eventually;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectLifecycleTest {

    private static final int CLIENTS = 200;

    private final RecordingRoute connect = RecordingRoute.answering("connect", 200);
    private final RecordingRoute disconnect = RecordingRoute.answering("disconnect", 200);
    private WebSocketGateway gateway;

    @BeforeEach
    void start() {
        gateway = WebSocketGateway.builder()
                .stage("test")
                .apiId("api0000001")
                .connectRoute(connect.function())
                .disconnectRoute(disconnect.function())
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        connect.close();
        disconnect.close();
    }

    @Test
    void everyClientIsConnectedWithAWellFormedEventAndDisconnectedOnClose() {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<RecordingClient>> pending = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            pending.add(RecordingClient.connect(http, URI.create(gateway.webSocketUri() + "?client=" + i + "&tag=a&tag=b")));
        }
        List<RecordingClient> clients = pending.stream().map(CompletableFuture::join).toList();

        List<JsonNode> connects = connect.awaitEvents(CLIENTS);
        assertEquals(CLIENTS, connects.size());
        Set<String> ids = new HashSet<>();
        Set<String> clientNumbers = new HashSet<>();
        long before = System.currentTimeMillis();
        for (JsonNode event : connects) {
            JsonNode context = event.get("requestContext");
            String id = context.get("connectionId").asText();
            assertTrue(id.matches("[A-Za-z0-9_-]{15}="), "connection id in API Gateway's shape: " + id);
            ids.add(id);
            assertEquals("$connect", context.get("routeKey").asText());
            assertEquals("CONNECT", context.get("eventType").asText());
            assertEquals("IN", context.get("messageDirection").asText());
            assertEquals("test", context.get("stage").asText());
            assertEquals("api0000001", context.get("apiId").asText());
            assertEquals("api0000001.execute-api.localhost", context.get("domainName").asText());
            assertEquals("127.0.0.1", context.get("identity").get("sourceIp").asText());
            assertTrue(context.get("connectedAt").asLong() <= before && context.get("connectedAt").asLong() > before - 60_000);
            assertTrue(context.get("requestId").asText().endsWith("="));
            assertTrue(context.get("requestTime").asText().matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000"));
            clientNumbers.add(event.get("queryStringParameters").get("client").asText());
            assertEquals("b", event.get("queryStringParameters").get("tag").asText(), "single-value map keeps the last value");
            assertEquals(List.of("a", "b"), texts(event.get("multiValueQueryStringParameters").get("tag")));
            assertEquals("websocket", event.get("headers").get("Upgrade").asText().toLowerCase());
            assertEquals("127.0.0.1", event.get("headers").get("X-Forwarded-For").asText());
            assertTrue(event.get("multiValueHeaders").get("Sec-WebSocket-Key").isArray());
            assertEquals(false, event.get("isBase64Encoded").asBoolean());
        }
        assertEquals(CLIENTS, ids.size(), "connection ids are unique");
        assertEquals(CLIENTS, clientNumbers.size());
        GatewayCounters open = gateway.counters();
        assertEquals(CLIENTS, open.realConnectionsOpen());
        assertEquals(CLIENTS, open.connectsAccepted());
        assertEquals(0, open.connectsRejected());

        clients.forEach(RecordingClient::close);
        List<JsonNode> disconnects = disconnect.awaitEvents(CLIENTS);
        Map<String, JsonNode> byId = new HashMap<>();
        disconnects.forEach(event -> byId.put(event.get("requestContext").get("connectionId").asText(), event));
        assertEquals(ids, byId.keySet(), "each connection is disconnected exactly once");
        JsonNode context = disconnects.get(0).get("requestContext");
        assertEquals("$disconnect", context.get("routeKey").asText());
        assertEquals("DISCONNECT", context.get("eventType").asText());
        assertEquals(1000, context.get("disconnectStatusCode").asInt());
        assertEquals("bye", context.get("disconnectReason").asText());
        Eventually.until(() -> gateway.counters().realConnectionsOpen() == 0, () -> "open: " + gateway.counters());
        GatewayCounters closed = gateway.counters();
        assertEquals(CLIENTS, closed.disconnects());
        assertEquals(CLIENTS, disconnect.events().size());
    }

    @Test
    void aClientThatVanishesWithoutACloseFrameIsDisconnectedAbnormally() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        RecordingClient client = RecordingClient.connect(http, gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
        connect.awaitEvents(1);
        client.socket().abort();
        JsonNode context = disconnect.awaitEvents(1).get(0).get("requestContext");
        assertEquals(1006, context.get("disconnectStatusCode").asInt());
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
