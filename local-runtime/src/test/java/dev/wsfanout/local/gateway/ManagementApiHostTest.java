package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.net.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The @connections API serves only loopback Host headers: DNS rebinding sends a foreign one. */
class ManagementApiHostTest {

    private final RecordingRoute connect = RecordingRoute.answering("connect", 200);
    private WebSocketGateway gateway;
    private int port;

    @BeforeEach
    void start() {
        gateway = WebSocketGateway.builder().connectRoute(connect.function()).build().start();
        port = gateway.managementEndpoint().getPort();
    }

    @AfterEach
    void stop() {
        gateway.close();
        connect.close();
    }

    @Test
    void aForeignHostIsRefusedWith403ForbiddenNamingTheHostAndNothingIsDelivered() throws Exception {
        RecordingClient client = RecordingClient.connect(HttpClient.newHttpClient(), gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
        String id = connect.awaitEvents(1).get(0).get("requestContext").get("connectionId").asText();

        RawHttp.Response post = RawHttp.send(port, "POST /local/@connections/" + id.replace("=", "%3D") + " HTTP/1.1\r\n"
                + "Host: evil.example:" + port + "\r\nContent-Type: application/json\r\nConnection: close\r\n", "stolen");
        assertEquals(403, post.status(), post.body());
        assertEquals("ForbiddenException", post.header("x-amzn-ErrorType"));
        String message = new ObjectMapper().readTree(post.body()).get("message").asText();
        assertTrue(message.contains("refuses Host 'evil.example:" + port + "'"), message);
        RawHttp.Response list = RawHttp.get(port, "/local/@local/connections", "evil.example");
        assertEquals(403, list.status(), list.body());
        assertEquals(1, gateway.counters().posts(403));
        assertEquals(0, gateway.counters().messagesDelivered());

        // The same post with a loopback Host arrives.
        RawHttp.Response served = RawHttp.send(port, "POST /local/@connections/" + id.replace("=", "%3D") + " HTTP/1.1\r\n"
                + "Host: localhost:" + port + "\r\nContent-Type: application/json\r\nConnection: close\r\n", "hello");
        assertEquals(200, served.status(), served.body());
        assertEquals("hello", client.nextMessage());
    }

    @Test
    void loopbackHostsAreServed() throws Exception {
        for (String host : List.of("127.0.0.1:" + port, "127.0.0.1", "localhost:" + port, "LOCALHOST", "[::1]:" + port, "127.9.9.9")) {
            RawHttp.Response list = RawHttp.get(port, "/local/@local/connections", host);
            assertEquals(200, list.status(), host + ": " + list.body());
            assertEquals("{\"connectionIds\":[]}", list.body());
        }
    }

    @Test
    void theSdkClientWorksOnBothLoopbackNames() throws Exception {
        RecordingClient client = RecordingClient.connect(HttpClient.newHttpClient(), gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
        String id = connect.awaitEvents(1).get(0).get("requestContext").get("connectionId").asText();
        URI byName = URI.create(gateway.managementEndpoint().toString().replace("127.0.0.1", "localhost"));
        for (URI endpoint : List.of(gateway.managementEndpoint(), byName)) {
            try (ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(endpoint)) {
                api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("via " + endpoint.getHost())));
            }
            assertEquals("via " + endpoint.getHost(), client.nextMessage());
        }
    }
}
