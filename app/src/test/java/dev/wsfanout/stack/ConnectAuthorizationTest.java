package dev.wsfanout.stack;

import dev.wsfanout.auth.SharedSecretTokens;
import dev.wsfanout.model.ConnectAuth;
import dev.wsfanout.registry.RegistryAttributes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The $connect authorizer in the local stack: the same ConnectAuthorizerHandler the deployed stack
 * runs, behind the gateway's REQUEST-authorizer emulation, with real sockets and the real registry.
 */
class ConnectAuthorizationTest {

    private static final String SECRET = "a-local-test-secret-that-is-long-enough-for-hs256";
    private static LocalDeployment stack;
    private static SharedSecretTokens tokens;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        stack = LocalDeployment.start(LocalDeploymentOptions.builder().env("PARTITION_COUNT", "10").connectTokenSecret(SECRET).build());
        tokens = stack.connectTokens().orElseThrow();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void withoutATokenTheUpgradeIs401AndNoRowIsWritten() {
        assertEquals(401, refused(stack.gateway().webSocketUri()));
        assertEquals(0, stack.census().rows());
    }

    @Test
    void expiredForgedAndForeignTokensAre401() {
        Instant now = Instant.now();
        String expired = tokens.mint("u1", Duration.ofMinutes(5), now.minus(Duration.ofHours(1)));
        String forged = new SharedSecretTokens("some-other-secret-that-is-32-bytes-or-more".getBytes(StandardCharsets.UTF_8),
                ConnectAuth.DEFAULT_AUDIENCE).mint("u1", Duration.ofMinutes(5), now);
        String otherStack = new SharedSecretTokens(SECRET.getBytes(StandardCharsets.UTF_8), "another-stack")
                .mint("u1", Duration.ofMinutes(5), now);
        for (String token : List.of(expired, forged, otherStack, "garbage")) {
            assertEquals(401, refused(withToken(token)), token);
        }
        assertEquals(0, stack.census().rows());
    }

    @Test
    void aValidTokenConnectsAndItsSubjectIsOnTheRow() {
        String token = tokens.mint("user-7", Duration.ofMinutes(5), Instant.now());
        WebSocket socket = http.newWebSocketBuilder().buildAsync(withToken(token), new WebSocket.Listener() { }).join();
        try {
            String id = stack.gateway().openConnectionIds().iterator().next();
            Map<String, AttributeValue> row = stack.dynamo().getItem(r -> r.tableName(stack.config().connectionsTable())
                    .key(Map.of(RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(id)))).item();
            assertEquals("user-7", row.get(RegistryAttributes.IDENTITY).s(), row.toString());
        } finally {
            socket.abort();
        }
    }

    private static URI withToken(String token) {
        return URI.create(stack.gateway().webSocketUri() + "?" + ConnectAuth.TOKEN_QUERY_PARAMETER + "=" + token);
    }

    private int refused(URI uri) {
        CompletionException e = assertThrows(CompletionException.class,
                () -> http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { }).join());
        return assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse().statusCode();
    }
}
