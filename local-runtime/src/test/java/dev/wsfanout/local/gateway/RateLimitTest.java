package dev.wsfanout.local.gateway;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitTest {

    @Test
    void callsBeyondTheBudgetGet429AndTheBudgetRecovers() throws Exception {
        try (WebSocketGateway gateway = WebSocketGateway.builder().rateLimit(1, 5).build().start();
             ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(gateway.managementEndpoint())) {
            String id = gateway.registerVirtualConnections(1).get(0);

            int accepted = 0;
            int throttled = 0;
            long started = System.nanoTime();
            for (int i = 0; i < 12; i++) {
                try {
                    api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("x")));
                    accepted++;
                } catch (LimitExceededException e) {
                    assertEquals(429, e.statusCode());
                    throttled++;
                }
            }
            double elapsedSeconds = (System.nanoTime() - started) / 1e9;
            assertTrue(accepted >= 5, "the burst of 5 passes: " + accepted);
            assertTrue(accepted <= 5 + Math.ceil(elapsedSeconds), "then 1 per second: " + accepted + " in " + elapsedSeconds + " s");
            assertTrue(throttled >= 1, "the rest is throttled: " + throttled);
            assertEquals(throttled, gateway.counters().posts(429));

            Thread.sleep(1100);
            api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("after the pause")));
            assertEquals(accepted + 1, gateway.counters().posts(200), "accepted again after the pause");
        }
    }
}
