package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.lambda.LocalFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A REQUEST authorizer on $connect, answered the way API Gateway answers: the function here is a
 * test double that decides by the token's text, so each of API Gateway's outcomes can be asked for.
 */
class ConnectAuthorizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<JsonNode> authorizerEvents = new CopyOnWriteArrayList<>();
    private LocalFunction authorizer;
    private RecordingRoute connect;
    private RecordingRoute disconnect;
    private RecordingRoute defaultRoute;
    private WebSocketGateway gateway;

    @BeforeEach
    void start() {
        authorizer = LocalFunction.ofStream("authorizer", (input, output, context) -> {
            JsonNode event = JSON.readTree(input);
            authorizerEvents.add(event);
            String token = event.path("queryStringParameters").path("token").asText();
            String arn = event.path("methodArn").asText();
            String answer = switch (token) {
                case "allow" -> policy("Allow", arn, "{\"identity\":\"alice\",\"tier\":3,\"admin\":false}");
                case "allow-wildcard" -> policy("Allow", arn.substring(0, arn.indexOf('/')) + "/*", "{}");
                case "deny" -> policy("Deny", arn, "{}");
                case "other-route" -> policy("Allow", arn.replace("$connect", "$default"), "{}");
                case "nested" -> policy("Allow", arn, "{\"roles\":[\"a\"]}");
                case "unauthorized" -> throw new IllegalStateException("Unauthorized");
                default -> throw new IllegalStateException("the authorizer crashed");
            };
            output.write(answer.getBytes(StandardCharsets.UTF_8));
        }, 16, Duration.ofSeconds(10));
        connect = RecordingRoute.answering("connect", 200);
        disconnect = RecordingRoute.answering("disconnect", 200);
        defaultRoute = RecordingRoute.answering("default", 200);
        gateway = WebSocketGateway.builder()
                .connectAuthorizer(authorizer, "route.request.querystring.token")
                .connectRoute(connect.function()).disconnectRoute(disconnect.function())
                .defaultRoute(defaultRoute.function()).build().start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        authorizer.close();
        connect.close();
        disconnect.close();
        defaultRoute.close();
    }

    @Test
    void anAllowedConnectionCarriesTheAuthorizersContextInEveryRoute() throws Exception {
        RecordingClient client = RecordingClient.connect(http, withToken("allow")).join();
        client.sendText("{\"action\":\"ping\"}");
        client.close();

        JsonNode request = authorizerEvents.get(0);
        assertEquals("REQUEST", request.path("type").asText());
        assertTrue(request.path("methodArn").asText().matches("arn:aws:execute-api:us-east-1:000000000000:wsfanout01/local/\\$connect"),
                request.path("methodArn").asText());
        assertEquals("allow", request.path("multiValueQueryStringParameters").path("token").get(0).asText());

        for (JsonNode event : List.of(connect.awaitEvents(1).get(0), defaultRoute.awaitEvents(1).get(0), disconnect.awaitEvents(1).get(0))) {
            JsonNode context = event.path("requestContext").path("authorizer");
            assertEquals("alice", context.path("principalId").asText(), event.toString());
            assertEquals("alice", context.path("identity").asText());
            assertEquals(3, context.path("tier").asInt());
            assertTrue(context.path("admin").isBoolean());
        }
        assertEquals(1, gateway.counters().authorizerInvocations());
    }

    @Test
    void aMissingIdentitySourceIs401WithoutInvokingTheAuthorizer() {
        assertEquals(401, refusedStatus(gateway.webSocketUri()));
        assertEquals(401, refusedStatus(URI.create(gateway.webSocketUri() + "?token=")));
        assertEquals(0, authorizerEvents.size());
        assertEquals(0, connect.events().size());
    }

    @Test
    void eachOfTheAuthorizersRefusalsIsAnsweredAsApiGatewayAnswersIt() {
        assertEquals(401, refusedStatus(withToken("unauthorized")));
        assertEquals(403, refusedStatus(withToken("deny")));
        assertEquals(403, refusedStatus(withToken("other-route")));
        assertEquals(500, refusedStatus(withToken("nested")));
        assertEquals(500, refusedStatus(withToken("crash")));
        assertEquals(0, connect.events().size(), "$connect never runs for a refused upgrade");
        GatewayCounters counters = gateway.counters();
        assertEquals(5, counters.connectsUnauthorized());
        assertEquals(5, counters.connectsRejected());
        assertEquals(0, counters.disconnects());
    }

    @Test
    void aWildcardResourceAllowsTheConnect() {
        RecordingClient.connect(http, withToken("allow-wildcard")).join().close();
        assertEquals(1, connect.awaitEvents(1).size());
    }

    @Test
    void virtualConnectionsCarryNoCredentialsAndAreRefused() {
        assertEquals(List.of(), gateway.registerVirtualConnections(3));
    }

    private URI withToken(String token) {
        return URI.create(gateway.webSocketUri() + "?token=" + token);
    }

    private static String policy(String effect, String resource, String context) {
        return "{\"principalId\":\"alice\",\"policyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Action\":"
                + "\"execute-api:Invoke\",\"Effect\":\"" + effect + "\",\"Resource\":\"" + resource + "\"}]},\"context\":" + context + "}";
    }

    private int refusedStatus(URI uri) {
        CompletionException refused = assertThrows(CompletionException.class, () -> RecordingClient.connect(http, uri).join());
        return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode();
    }
}
