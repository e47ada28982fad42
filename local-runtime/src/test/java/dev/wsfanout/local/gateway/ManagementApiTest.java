package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.ForbiddenException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GetConnectionResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.PayloadTooLargeException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagementApiTest {

    private final RecordingRoute connect = RecordingRoute.answering("connect", 200);
    private final RecordingRoute disconnect = RecordingRoute.answering("disconnect", 200);
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocketGateway gateway;
    private ApiGatewayManagementApiClient api;

    @BeforeEach
    void start() {
        gateway = WebSocketGateway.builder()
                .connectRoute(connect.function())
                .disconnectRoute(disconnect.function())
                .build()
                .start();
        api = ManagementApiClients.withoutRetries(gateway.managementEndpoint());
    }

    @AfterEach
    void stop() {
        api.close();
        gateway.close();
        connect.close();
        disconnect.close();
    }

    @Test
    void aPostArrivesAtTheClientAsExactlyThatText() throws Exception {
        RecordingClient client = connectClient();
        String id = connectionIdOf(0);

        api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("{\"hello\":\"wörld\"}")));

        assertEquals("{\"hello\":\"wörld\"}", client.nextMessage());
        GatewayCounters counters = gateway.counters();
        assertEquals(1, counters.posts(200));
        assertEquals(1, counters.messagesDelivered());
        assertEquals(1, counters.framesWritten());
        assertEquals("{\"hello\":\"wörld\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8).length, counters.bytesDelivered());
    }

    @Test
    void aPostToAClosedConnectionIsGone() throws Exception {
        RecordingClient client = connectClient();
        String id = connectionIdOf(0);
        client.close();
        disconnect.awaitEvents(1);

        GoneException gone = assertThrows(GoneException.class,
                () -> api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("late"))));
        assertEquals(410, gone.statusCode());
        assertThrows(GoneException.class,
                () -> api.postToConnection(post -> post.connectionId("NeverExisted0A=").data(SdkBytes.fromUtf8String("x"))));
        assertEquals(2, gateway.counters().posts(410));
    }

    @Test
    void aPostAbove128KbIsTooLargeAndOneAt128KbIsDelivered() throws Exception {
        RecordingClient client = connectClient();
        String id = connectionIdOf(0);

        assertThrows(PayloadTooLargeException.class,
                () -> api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("x".repeat(200 * 1024)))));
        assertThrows(PayloadTooLargeException.class,
                () -> api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("x".repeat(128 * 1024 + 1)))));
        api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("y".repeat(128 * 1024))));

        assertEquals("y".repeat(128 * 1024), client.nextMessage());
        assertEquals(2, gateway.counters().posts(413));
    }

    @Test
    void aMessageAbove32KbArrivesWholeInSeveralFrames() throws Exception {
        RecordingClient client = connectClient();
        String id = connectionIdOf(0);
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 100 * 1024; i++) {
            text.append(i).append(',');
        }
        String message = text.substring(0, 100 * 1024);

        api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String(message)));

        assertEquals(message, client.nextMessage());
        assertEquals(4, gateway.counters().framesWritten(), "100 KB in frames of at most 32 KB");
    }

    @Test
    void onTheWireALargeMessageIsATextFrameWithoutFinThenContinuationFrames() throws Exception {
        try (FrameRecordingClient client = new FrameRecordingClient(gateway.webSocketUri())) {
            String id = connectionIdOf(0);

            api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("z".repeat(100 * 1024))));
            api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("small")));

            assertEquals(new FrameRecordingClient.Frame("TextWebSocketFrame", false, 32 * 1024), client.nextFrame());
            assertEquals(new FrameRecordingClient.Frame("ContinuationWebSocketFrame", false, 32 * 1024), client.nextFrame());
            assertEquals(new FrameRecordingClient.Frame("ContinuationWebSocketFrame", false, 32 * 1024), client.nextFrame());
            assertEquals(new FrameRecordingClient.Frame("ContinuationWebSocketFrame", true, 4 * 1024), client.nextFrame());
            assertEquals(new FrameRecordingClient.Frame("TextWebSocketFrame", true, 5), client.nextFrame());
        }
    }

    @Test
    void getDescribesTheConnection() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        connectClient();
        String id = connectionIdOf(0);

        GetConnectionResponse connection = api.getConnection(get -> get.connectionId(id));

        assertEquals("127.0.0.1", connection.identity().sourceIp());
        assertTrue(connection.identity().userAgent().startsWith("Java-http-client"), connection.identity().userAgent());
        assertTrue(connection.connectedAt().isAfter(before), connection.connectedAt().toString());
        assertFalse(connection.lastActiveAt().isBefore(connection.connectedAt()));
        assertThrows(GoneException.class, () -> api.getConnection(get -> get.connectionId("NeverExisted0A=")));
    }

    @Test
    void deleteClosesTheConnectionAndDisconnectFollows() throws Exception {
        RecordingClient client = connectClient();
        String id = connectionIdOf(0);

        api.deleteConnection(delete -> delete.connectionId(id));

        assertEquals(1000, client.closeCode().get(10, TimeUnit.SECONDS));
        JsonNode context = disconnect.awaitEvents(1).get(0).get("requestContext");
        assertEquals(id, context.get("connectionId").asText());
        assertThrows(GoneException.class, () -> api.deleteConnection(delete -> delete.connectionId(id)));
    }

    @Test
    void anotherStageIsForbidden() {
        URI wrongStage = URI.create(gateway.managementEndpoint().toString().replace("/local", "/prod"));
        try (ApiGatewayManagementApiClient other = ManagementApiClients.withoutRetries(wrongStage)) {
            ForbiddenException forbidden = assertThrows(ForbiddenException.class,
                    () -> other.postToConnection(post -> post.connectionId("AAAAAAAAAAAAAAA=").data(SdkBytes.fromUtf8String("x"))));
            assertEquals(403, forbidden.statusCode());
        }
    }

    @Test
    void virtualConnectionsGoThroughConnectAndAcceptPosts() {
        List<String> ids = gateway.registerVirtualConnections(500);

        assertEquals(500, ids.size());
        assertEquals(500, connect.events().size());
        assertEquals(500, gateway.counters().virtualConnectionsOpen());
        for (String id : ids.subList(0, 50)) {
            api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("to " + id)));
        }
        GatewayCounters counters = gateway.counters();
        assertEquals(50, counters.virtualMessagesDelivered());
        assertEquals(50L * ("to ".length() + 16), counters.virtualBytesDelivered());
        assertEquals(50, counters.posts(200));
        assertEquals(0, counters.messagesDelivered());

        api.deleteConnection(delete -> delete.connectionId(ids.get(0)));
        assertEquals(ids.get(0), disconnect.awaitEvents(1).get(0).get("requestContext").get("connectionId").asText());
        assertThrows(GoneException.class,
                () -> api.postToConnection(post -> post.connectionId(ids.get(0)).data(SdkBytes.fromUtf8String("x"))));
        assertEquals(499, gateway.counters().virtualConnectionsOpen());
    }

    @Test
    void virtualConnectionsRefusedByConnectAreNotRegistered() {
        try (RecordingRoute refusing = RecordingRoute.answering("refusing", 401);
             WebSocketGateway refusingGateway = WebSocketGateway.builder().connectRoute(refusing.function()).build().start()) {
            assertEquals(List.of(), refusingGateway.registerVirtualConnections(20));
            assertEquals(20, refusingGateway.counters().connectsRejected());
            assertEquals(0, refusingGateway.counters().virtualConnectionsOpen());
        }
    }

    /** Emulator-only: AWS has no call that lists a stage's connections. */
    @Test
    void localConnectionsListsEveryOpenIdSocketsAndVirtual() throws Exception {
        URI list = URI.create(gateway.managementEndpoint() + "/@local/connections");
        assertEquals(Set.of(), openIds(list));

        RecordingClient client = connectClient();
        String socketId = connectionIdOf(0);
        List<String> virtual = gateway.registerVirtualConnections(3);
        Set<String> expected = new HashSet<>(virtual);
        expected.add(socketId);
        assertEquals(expected, openIds(list));
        assertEquals(gateway.openConnectionIds(), openIds(list));

        client.close();
        disconnect.awaitEvents(1);
        api.deleteConnection(delete -> delete.connectionId(virtual.get(0)));
        disconnect.awaitEvents(2);
        assertEquals(Set.copyOf(virtual.subList(1, 3)), openIds(list));

        // Only GET, only on this stage.
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(list).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, post.statusCode());
        URI otherStage = URI.create(list.toString().replace("/local/", "/prod/"));
        assertEquals(403, http.send(HttpRequest.newBuilder(otherStage).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private Set<String> openIds(URI list) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(list).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        Set<String> ids = new HashSet<>();
        new ObjectMapper().readTree(response.body()).get("connectionIds").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private RecordingClient connectClient() throws Exception {
        return RecordingClient.connect(http, gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
    }

    private String connectionIdOf(int index) {
        return connect.awaitEvents(index + 1).get(index).get("requestContext").get("connectionId").asText();
    }
}
