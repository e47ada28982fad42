package dev.wsfanout.local.gateway;

import dev.wsfanout.local.Eventually;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.wsfanout.local.lambda.LocalFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Route selection by {@code $request.body.action}, with handlers typed as they are on Lambda. */
class MessageRoutesTest {

    private final List<APIGatewayV2WebSocketEvent> connects = new CopyOnWriteArrayList<>();
    private final List<APIGatewayV2WebSocketEvent> joins = new CopyOnWriteArrayList<>();
    private final List<APIGatewayV2WebSocketEvent> defaults = new CopyOnWriteArrayList<>();
    private final List<APIGatewayV2WebSocketEvent> disconnects = new CopyOnWriteArrayList<>();
    private final List<LocalFunction> functions = List.of(
            typed("connect", connects), typed("join", joins), typed("default", defaults), typed("disconnect", disconnects));
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocketGateway gateway;

    @BeforeEach
    void start() {
        gateway = WebSocketGateway.builder()
                .connectRoute(functions.get(0))
                .route("join", functions.get(1))
                .defaultRoute(functions.get(2))
                .disconnectRoute(functions.get(3))
                .build().start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        functions.forEach(LocalFunction::close);
    }

    @Test
    void messagesGoToTheRouteTheirActionNamesOrToDefault() throws Exception {
        RecordingClient client = RecordingClient.connect(http, gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
        client.sendText("{\"action\":\"join\",\"room\":7}");
        client.sendText("{\"action\":\"leave\"}");
        client.sendText("not json");

        Eventually.until(() -> joins.size() == 1 && defaults.size() == 2, () -> joins.size() + " joins, " + defaults.size() + " defaults");
        APIGatewayV2WebSocketEvent join = joins.get(0);
        String id = connects.get(0).getRequestContext().getConnectionId();
        assertEquals("join", join.getRequestContext().getRouteKey());
        assertEquals("MESSAGE", join.getRequestContext().getEventType());
        assertEquals(id, join.getRequestContext().getConnectionId());
        assertEquals("{\"action\":\"join\",\"room\":7}", join.getBody());
        assertTrue(join.getRequestContext().getMessageId().endsWith("="));
        assertEquals(connects.get(0).getRequestContext().getConnectedAt(), join.getRequestContext().getConnectedAt());
        assertEquals(List.of("not json", "{\"action\":\"leave\"}"),
                defaults.stream().map(APIGatewayV2WebSocketEvent::getBody).sorted().toList());
        assertEquals("$default", defaults.get(0).getRequestContext().getRouteKey());
        assertEquals(3, gateway.counters().messagesReceived());

        client.close();
        Eventually.until(() -> disconnects.size() == 1, () -> "no $disconnect");
        assertEquals("DISCONNECT", disconnects.get(0).getRequestContext().getEventType());
        assertEquals(id, disconnects.get(0).getRequestContext().getConnectionId());
    }

    @Test
    void theConnectEventDeserializesIntoTheLambdaEventClass() throws Exception {
        RecordingClient.connect(http, URI.create(gateway.webSocketUri() + "?token=abc")).get(10, TimeUnit.SECONDS);

        Eventually.until(() -> connects.size() == 1, () -> "no $connect");
        APIGatewayV2WebSocketEvent connect = connects.get(0);
        assertEquals("CONNECT", connect.getRequestContext().getEventType());
        assertEquals("$connect", connect.getRequestContext().getRouteKey());
        assertEquals("local", connect.getRequestContext().getStage());
        assertEquals("127.0.0.1", connect.getRequestContext().getIdentity().getSourceIp());
        assertEquals("abc", connect.getQueryStringParameters().get("token"));
        assertEquals(List.of("abc"), connect.getMultiValueQueryStringParameters().get("token"));
        assertFalse(connect.getHeaders().isEmpty());
    }

    @Test
    void binaryMessagesGoToDefaultBase64Encoded() throws Exception {
        RecordingClient client = RecordingClient.connect(http, gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        client.socket().sendBinary(ByteBuffer.wrap(bytes), true).join();

        Eventually.until(() -> defaults.size() == 1, () -> "no $default");
        assertTrue(defaults.get(0).isIsBase64Encoded());
        assertEquals(Base64.getEncoder().encodeToString(bytes), defaults.get(0).getBody());
    }

    @Test
    void withoutAMatchingRouteTheClientIsToldForbidden() throws Exception {
        try (WebSocketGateway bare = WebSocketGateway.builder().build().start()) {
            RecordingClient client = RecordingClient.connect(http, bare.webSocketUri()).get(10, TimeUnit.SECONDS);
            client.sendText("{\"action\":\"join\"}");

            String answer = client.nextMessage();
            assertTrue(answer.startsWith("{\"message\":\"Forbidden\",\"connectionId\":\""), answer);
        }
    }

    private static LocalFunction typed(String name, List<APIGatewayV2WebSocketEvent> received) {
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> handler = (event, context) -> {
            received.add(event);
            APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
            response.setStatusCode(200);
            response.setBody("ok");
            return response;
        };
        return LocalFunction.of(name, handler, APIGatewayV2WebSocketEvent.class, 16, Duration.ofSeconds(10));
    }
}
