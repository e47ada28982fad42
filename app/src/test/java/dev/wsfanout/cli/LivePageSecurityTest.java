package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalDeploymentOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live page server answers only requests for a loopback Host, hands its per-run token only to
 * the page, and starts or reads broadcasts only with that token and from its own origin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LivePageSecurityTest {

    private static final String MESSAGE = "{\"message\":{\"text\":\"from the security test\"}}";

    private final HttpClient http = HttpClient.newHttpClient();
    private LiveStack live;
    private int port;
    private String ownOrigin;

    @BeforeAll
    void start() {
        live = LiveStack.start(LocalDeploymentOptions.builder().env(FanoutConfig.PARTITION_COUNT, "4").build(), 0);
        port = live.page().uri().getPort();
        ownOrigin = "http://127.0.0.1:" + port;
    }

    @AfterAll
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    @Test
    void aForeignHostIsRefusedWith403EverywhereAndTheMessageNamesIt() throws Exception {
        for (String request : List.of("GET / HTTP/1.1", "GET /app.js HTTP/1.1", "GET /api/config HTTP/1.1",
                "GET /api/broadcasts/x HTTP/1.1")) {
            Raw refused = raw(request + "\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n", null);
            assertEquals(403, refused.status, request + ": " + refused.body);
            assertEquals("application/json", refused.contentType, request);
            assertEquals("the live page server refuses Host 'evil.example:" + port + "': it serves only Host 127.0.0.1, "
                    + "localhost or [::1] (with or without a port), so a web page cannot reach it through DNS rebinding",
                    JsonCodec.readTree(refused.body).get("message").asText());
            assertTrue(!refused.body.contains(live.page().token()), "no token for a foreign Host");
        }
        Raw post = raw("POST /api/broadcasts HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\n"
                + LivePageServer.TOKEN_HEADER + ": " + live.page().token() + "\r\nConnection: close\r\n", MESSAGE);
        assertEquals(403, post.status, "even with the right token: " + post.body);
    }

    @Test
    void loopbackHostsAreServed() throws Exception {
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "127.0.0.1", "localhost", "[::1]:" + port)) {
            Raw page = raw("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n", null);
            assertEquals(200, page.status, host);
            Raw config = raw("GET /api/config HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n", null);
            assertEquals(200, config.status, host + ": " + config.body);
            assertEquals(live.page().token(), JsonCodec.readTree(config.body).get("token").asText());
        }
    }

    @Test
    void theConfigHandsThePageARandomTokenOfAtLeast128Bits() throws Exception {
        HttpResponse<String> config = http.send(HttpRequest.newBuilder(api("/api/config"))
                .header("Sec-Fetch-Site", "same-origin").build(), BodyHandlers.ofString());
        assertEquals(200, config.statusCode(), config.body());
        JsonNode body = JsonCodec.readTree(config.body());
        assertEquals(live.stack().gateway().webSocketUri().toString(), body.get("webSocketUrl").asText());
        String token = body.get("token").asText();
        assertEquals(live.page().token(), token);
        assertTrue(token.matches("[A-Za-z0-9_-]{43,}"), "base64url of 256 bits: " + token);
        assertEquals("DENY", config.headers().firstValue("X-Frame-Options").orElse(""));
        assertTrue(config.headers().firstValue("Access-Control-Allow-Origin").isEmpty());

        try (LivePageServer another = LivePageServer.start(live.target(), live.stack().gateway().webSocketUri(), 0)) {
            assertNotEquals(token, another.token(), "each run has its own");
        }
    }

    @Test
    void theConfigIsRefusedToAnotherPage() throws Exception {
        HttpResponse<String> crossOrigin = http.send(HttpRequest.newBuilder(api("/api/config"))
                .header("Origin", "http://evil.example").build(), BodyHandlers.ofString());
        assertEquals(403, crossOrigin.statusCode(), crossOrigin.body());
        assertTrue(crossOrigin.body().contains("from Origin http://evil.example"), crossOrigin.body());
        HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(api("/api/config"))
                .header("Sec-Fetch-Site", "cross-site").build(), BodyHandlers.ofString());
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        HttpResponse<String> sameSiteOtherPort = http.send(HttpRequest.newBuilder(api("/api/config"))
                .header("Sec-Fetch-Site", "same-site").build(), BodyHandlers.ofString());
        assertEquals(403, sameSiteOtherPort.statusCode(), "another port of 127.0.0.1 is same-site, not same-origin");
        HttpResponse<String> typedAddress = http.send(HttpRequest.newBuilder(api("/api/config"))
                .header("Sec-Fetch-Site", "none").build(), BodyHandlers.ofString());
        assertEquals(200, typedAddress.statusCode(), typedAddress.body());
    }

    @Test
    void theBroadcastApiRefusesAMissingOrWrongTokenWith401AndServesTheRightOne() throws Exception {
        HttpResponse<String> missing = post(null, null);
        assertEquals(401, missing.statusCode(), missing.body());
        assertEquals("POST /api/broadcasts needs this run's token in the X-Wsfanout-Token header "
                + "(GET /api/config hands it to the page); the request has none", message(missing));
        assertEquals(LivePageServer.TOKEN_HEADER, missing.headers().firstValue("WWW-Authenticate").orElse(""));

        String token = live.page().token();
        HttpResponse<String> wrong = post(token.substring(1) + "A", null);
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertTrue(message(wrong).contains("is not this run's token"), wrong.body());
        assertEquals(401, post("", null).statusCode());

        HttpResponse<String> started = post(token, ownOrigin);
        assertEquals(202, started.statusCode(), started.body());
        String name = JsonCodec.readTree(started.body()).get("name").asText();

        URI audit = api("/api/broadcasts/" + name);
        assertEquals(401, http.send(HttpRequest.newBuilder(audit).build(), BodyHandlers.ofString()).statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(audit).header(LivePageServer.TOKEN_HEADER, "x").build(),
                BodyHandlers.ofString()).statusCode());
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(audit).header(LivePageServer.TOKEN_HEADER, token).build(),
                BodyHandlers.ofString());
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(name, JsonCodec.readTree(read.body()).get("broadcastId").asText());
    }

    @Test
    void aPostFromAnotherOriginIsRefusedWith403EvenWithTheToken() throws Exception {
        for (String origin : List.of("http://evil.example", "http://127.0.0.1:1", "null", "https://127.0.0.1:" + port)) {
            HttpResponse<String> refused = post(live.page().token(), origin);
            assertEquals(403, refused.statusCode(), origin + ": " + refused.body());
            assertEquals("the live page API refuses POST /api/broadcasts from Origin " + origin
                    + ": only the page itself (" + ownOrigin + ") may call it", message(refused));
        }
        Raw byName = raw("POST /api/broadcasts HTTP/1.1\r\nHost: localhost:" + port + "\r\nOrigin: http://localhost:" + port
                + "\r\nContent-Type: application/json\r\n" + LivePageServer.TOKEN_HEADER + ": " + live.page().token()
                + "\r\nConnection: close\r\n", MESSAGE);
        assertEquals(202, byName.status, "the page opened as localhost posts from its own origin: " + byName.body);
    }

    /** A POST through java.net.http (Host 127.0.0.1:port) with the given token and Origin (null: none). */
    private HttpResponse<String> post(String token, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api("/api/broadcasts"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(MESSAGE));
        if (token != null) {
            request.header(LivePageServer.TOKEN_HEADER, token);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private URI api(String path) {
        return live.page().uri().resolve(path);
    }

    private static String message(HttpResponse<String> response) {
        return JsonCodec.readTree(response.body()).get("message").asText();
    }

    private record Raw(int status, String contentType, String body) {
    }

    /** One request written by hand, so the Host header can be anything (java.net.http refuses to set it). */
    private Raw raw(String head, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String request = head + (body == null ? "" : "Content-Length: " + content.length + "\r\n") + "\r\n";
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed after " + headBytes);
                }
                headBytes.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).trim().split("\r\n");
            String contentType = null;
            int length = 0;
            for (String line : lines) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    contentType = line.substring(line.indexOf(':') + 1).trim();
                } else if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return new Raw(Integer.parseInt(lines[0].split(" ", 3)[1]), contentType,
                    new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }
}
