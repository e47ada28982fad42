package dev.wsfanout.local.gateway;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RateLimitTest {

    @Test
    void callsBeyondTheBudgetGet429AndTheBudgetRecovers() throws Exception {
        // The bucket's clock stands still until the test moves it: exactly the burst passes, then one a second.
        AtomicLong nanos = new AtomicLong();
        try (WebSocketGateway gateway = WebSocketGateway.builder().rateLimit(1, 5, nanos::get).build().start();
             ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(gateway.managementEndpoint())) {
            String id = gateway.registerVirtualConnections(1).get(0);

            int accepted = 0;
            int throttled = 0;
            for (int i = 0; i < 12; i++) {
                try {
                    api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("x")));
                    accepted++;
                } catch (LimitExceededException e) {
                    assertEquals(429, e.statusCode());
                    throttled++;
                }
            }
            assertEquals(5, accepted, "the burst of 5 passes");
            assertEquals(7, throttled, "the rest is throttled");
            assertEquals(7, gateway.counters().posts(429));

            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
            assertThrows(LimitExceededException.class,
                    () -> api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("too soon"))));
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
            api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("after a second")));
            assertEquals(6, gateway.counters().posts(200), "one more a second later");
        }
    }
}
