package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.net.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WebSocketGateway.Builder#allowedOrigins}: browsers of other pages are refused before $connect. */
class AllowedOriginsTest {

    private static final String PAGE = "http://127.0.0.1:8084";

    private final RecordingRoute connect = RecordingRoute.answering("connect", 200);
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocketGateway gateway;

    @BeforeEach
    void start() {
        gateway = WebSocketGateway.builder().connectRoute(connect.function())
                .allowedOrigins(List.of(PAGE, "https://app.example.com")).build().start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        connect.close();
    }

    @Test
    void anUpgradeFromAnotherOriginIsRefusedWith403AndConnectNeverRuns() throws Exception {
        RawHttp.Response refused = upgrade("http://evil.example");

        assertEquals(403, refused.status());
        assertEquals("application/json", refused.header("Content-Type"));
        assertEquals("close", refused.header("Connection"));
        assertEquals("Forbidden: Origin http://evil.example is not one of the gateway's allowed origins",
                new ObjectMapper().readTree(refused.body()).get("message").asText());
        assertEquals(403, upgrade("http://127.0.0.1:9999").status(), "another port is another origin");
        assertEquals(403, upgrade("null").status(), "a sandboxed or file: page");

        Thread.sleep(200);
        assertEquals(0, connect.events().size(), "$connect ran for a refused origin");
        GatewayCounters counters = gateway.counters();
        assertEquals(3, counters.connectsRejected());
        assertEquals(0, counters.connectsAccepted());
        assertEquals(0, counters.connectsThrottled());
    }

    @Test
    void anAllowedOriginAndAnUpgradeWithoutOriginConnect() throws Exception {
        assertEquals(101, upgrade(PAGE).status());
        assertEquals(101, upgrade("HTTPS://App.Example.com").status(), "origins compare case-insensitively");
        assertEquals(101, upgrade(null).status(), "a client that is not a browser sends no Origin");

        assertEquals(3, connect.awaitEvents(3).size());
        assertEquals(3, gateway.counters().connectsAccepted());
    }

    @Test
    void theJdkClientConnectsWithAnAllowedOriginAndIsRefusedWithAnother() throws Exception {
        WebSocket allowed = http.newWebSocketBuilder().header("Origin", PAGE)
                .buildAsync(gateway.webSocketUri(), new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
        connect.awaitEvents(1);
        allowed.sendClose(WebSocket.NORMAL_CLOSURE, "");

        CompletionException refused = assertThrows(CompletionException.class, () -> http.newWebSocketBuilder()
                .header("Origin", "http://evil.example").buildAsync(gateway.webSocketUri(), new WebSocket.Listener() { }).join());
        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());
        Thread.sleep(200);
        assertEquals(1, connect.events().size());
    }

    @Test
    void withoutAllowedOriginsEveryOriginConnects() throws Exception {
        try (WebSocketGateway open = WebSocketGateway.builder().build().start()) {
            URI uri = open.webSocketUri();
            assertEquals(101, upgrade(uri, "http://evil.example").status());
            assertEquals(101, upgrade(uri, null).status());
        }
    }

    @Test
    void anEntryThatIsNotAnOriginIsRefusedByTheBuilder() {
        for (String notAnOrigin : new String[] {"http://127.0.0.1:8084/", "127.0.0.1:8084", "http://x/page", ""}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> WebSocketGateway.builder().allowedOrigins(List.of(notAnOrigin)));
            assertTrue(refused.getMessage().contains("is not an origin"), refused.getMessage());
        }
    }

    private RawHttp.Response upgrade(String origin) throws Exception {
        return upgrade(gateway.webSocketUri(), origin);
    }

    private static RawHttp.Response upgrade(URI uri, String origin) throws Exception {
        return RawHttp.send(uri.getPort(), "GET " + uri.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n"), null);
    }
}
