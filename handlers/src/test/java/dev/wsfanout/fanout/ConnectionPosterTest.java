package dev.wsfanout.fanout;

import dev.wsfanout.aws.AwsClients;
import dev.wsfanout.local.gateway.WebSocketGateway;
import dev.wsfanout.model.FanoutConfig;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poster against the gateway emulator's @connections API with the real SDK client: how each
 * answer is classified, that a delivered connection is never posted again, and that nothing is
 * started past the deadline.
 */
class ConnectionPosterTest {

    private static final SdkBytes HELLO = SdkBytes.fromUtf8String("{\"broadcastId\":\"b\",\"data\":\"hello\"}");

    @Test
    void liveConnectionsAreDeliveredOnceAndGoneOnesAreGone() {
        try (WebSocketGateway gateway = WebSocketGateway.builder().build().start();
             ApiGatewayManagementApiAsyncClient api = client(gateway)) {
            List<String> ids = new ArrayList<>(gateway.registerVirtualConnections(3));
            ids.add("never-connected=");

            ConnectionPoster.Result result = new ConnectionPoster(api, new RateGovernor(1_000), 8).post(ids, HELLO, inSeconds(10));

            assertEquals(3, result.count(PostOutcome.DELIVERED), result.toString());
            assertEquals(List.of("never-connected="), result.idsWith(PostOutcome.GONE));
            assertEquals(1, result.attempts(), "a 410 is an answer, not a failure to retry");
            assertEquals(3, gateway.counters().virtualMessagesDelivered());
        }
    }

    @Test
    void throttledPostsAreRetriedWithinTheInvocationAndNoConnectionGetsTwoCopies() {
        // The gateway lets 5 through at once and 1 a second after; the governor starts at 1,000/s.
        try (WebSocketGateway gateway = WebSocketGateway.builder().rateLimit(1, 5).build().start();
             ApiGatewayManagementApiAsyncClient api = client(gateway)) {
            List<String> ids = gateway.registerVirtualConnections(20);
            RateGovernor governor = new RateGovernor(1_000);

            ConnectionPoster.Result result = new ConnectionPoster(api, governor, 4).post(ids, HELLO, inSeconds(10));

            long delivered = result.count(PostOutcome.DELIVERED);
            long throttled = result.count(PostOutcome.THROTTLED);
            // A connection the gateway closes after a 429 can cost a pooled call its answer: retryable, not lost.
            long retryable = result.count(PostOutcome.RETRYABLE);
            assertEquals(20, delivered + throttled + retryable, result.toString());
            assertTrue(throttled > 0, "the budget ran out: " + result);
            assertEquals(3, result.attempts(), "what was throttled was tried again, up to the invocation's attempts");
            assertEquals(delivered, gateway.counters().virtualMessagesDelivered(), "one copy per delivered connection");
            assertEquals(delivered, gateway.counters().posts(200));
            assertTrue(governor.currentRate() < 1_000, "429s slowed the governor: " + governor.currentRate());
        }
    }

    @Test
    void nothingIsStartedPastTheDeadlineAndWhatWasNotTriedSaysSo() {
        try (WebSocketGateway gateway = WebSocketGateway.builder().build().start();
             ApiGatewayManagementApiAsyncClient api = client(gateway)) {
            List<String> ids = gateway.registerVirtualConnections(5);

            ConnectionPoster.Result result = new ConnectionPoster(api, new RateGovernor(1_000), 8)
                    .post(ids, HELLO, System.nanoTime() - 1);

            assertEquals(5, result.count(PostOutcome.NOT_ATTEMPTED), result.toString());
            assertEquals(0, gateway.counters().postsTotal());
        }
    }

    @Test
    void aMessageTheGatewayRefusesIsRejectedNotRetried() {
        try (WebSocketGateway gateway = WebSocketGateway.builder().build().start();
             ApiGatewayManagementApiAsyncClient api = client(gateway)) {
            List<String> ids = gateway.registerVirtualConnections(2);
            SdkBytes tooLarge = SdkBytes.fromByteArray(new byte[128 * 1024 + 1]);

            ConnectionPoster.Result result = new ConnectionPoster(api, new RateGovernor(1_000), 8).post(ids, tooLarge, inSeconds(10));

            assertEquals(2, result.count(PostOutcome.REJECTED), result.toString());
            assertEquals(1, result.attempts());
            assertTrue(result.reasons().values().stream().allMatch(reason -> reason.contains("413")), result.reasons().toString());
        }
    }

    private static ApiGatewayManagementApiAsyncClient client(WebSocketGateway gateway) {
        FanoutConfig config = FanoutConfig.fromEnv(Map.of(FanoutConfig.MANAGEMENT_ENDPOINT, gateway.managementEndpoint().toString()));
        return new AwsClients(config, Map.of()).managementApi(8);
    }

    private static long inSeconds(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }
}
