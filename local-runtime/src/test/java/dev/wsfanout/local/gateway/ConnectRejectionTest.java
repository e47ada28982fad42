package dev.wsfanout.local.gateway;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConnectRejectionTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aConnectRouteAnswering403RefusesTheHandshakeWithThatStatus() {
        try (RecordingRoute connect = RecordingRoute.answering("connect", 403);
             RecordingRoute disconnect = RecordingRoute.answering("disconnect", 200);
             WebSocketGateway gateway = WebSocketGateway.builder()
                     .connectRoute(connect.function()).disconnectRoute(disconnect.function()).build().start();
             ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(gateway.managementEndpoint())) {

            assertEquals(403, refusedStatus(gateway.webSocketUri()));

            String id = connect.awaitEvents(1).get(0).get("requestContext").get("connectionId").asText();
            assertThrows(GoneException.class,
                    () -> api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("x"))));
            GatewayCounters counters = gateway.counters();
            assertEquals(1, counters.connectsRejected());
            assertEquals(0, counters.connectsAccepted());
            assertEquals(0, counters.realConnectionsOpen());
            assertEquals(0, counters.disconnects(), "a refused connection never existed, so it is not disconnected");
        }
    }

    @Test
    void aClientThatGivesUpWhileConnectRunsIsDisconnectedOnceConnectAcceptsIt() throws Exception {
        try (RecordingRoute slowConnect = RecordingRoute.answeringAfter("connect", 200, java.time.Duration.ofMillis(500));
             RecordingRoute disconnect = RecordingRoute.answering("disconnect", 200);
             WebSocketGateway gateway = WebSocketGateway.builder()
                     .connectRoute(slowConnect.function()).disconnectRoute(disconnect.function()).build().start()) {
            URI uri = gateway.webSocketUri();
            try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
                socket.getOutputStream().write(("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                slowConnect.awaitEvents(1);
            }
            // $connect answers 200 after the socket is gone: what it registered must be undone.
            String id = slowConnect.events().get(0).get("requestContext").get("connectionId").asText();
            String disconnected = disconnect.awaitEvents(1).get(0).get("requestContext").get("connectionId").asText();
            assertEquals(id, disconnected);
            assertEquals(0, gateway.counters().realConnectionsOpen());
        }
    }

    @Test
    void aConnectRouteThatThrowsRefusesTheHandshake() {
        try (RecordingRoute connect = RecordingRoute.failing("connect");
             WebSocketGateway gateway = WebSocketGateway.builder().connectRoute(connect.function()).build().start()) {

            assertEquals(RouteInvoker.INTEGRATION_FAILURE_STATUS, refusedStatus(gateway.webSocketUri()));
            assertEquals(1, gateway.counters().connectsRejected());
        }
    }

    @Test
    void anotherStageIsRefusedWithoutCallingConnect() {
        try (RecordingRoute connect = RecordingRoute.answering("connect", 200);
             WebSocketGateway gateway = WebSocketGateway.builder().connectRoute(connect.function()).build().start()) {

            assertEquals(403, refusedStatus(URI.create(gateway.webSocketUri().toString().replace("/local", "/prod"))));
            assertEquals(0, connect.events().size());
        }
    }

    private int refusedStatus(URI uri) {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> RecordingClient.connect(http, uri).join());
        return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode();
    }
}
