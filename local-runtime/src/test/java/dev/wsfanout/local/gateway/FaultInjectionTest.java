package dev.wsfanout.local.gateway;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.ApiGatewayManagementApiException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectionTest {

    @Test
    void drawsMapOntoExclusiveFractions() {
        FaultInjection faults = FaultInjection.builder()
                .throttleFraction(0.1).serverErrorFraction(0.2).dropFraction(0.3).build();

        assertEquals(FaultInjection.Fault.THROTTLE, faults.faultFor(0.05));
        assertEquals(FaultInjection.Fault.SERVER_ERROR, faults.faultFor(0.25));
        assertEquals(FaultInjection.Fault.DROP, faults.faultFor(0.55));
        assertEquals(FaultInjection.Fault.NONE, faults.faultFor(0.65));
        assertEquals(FaultInjection.Fault.NONE, FaultInjection.none().faultFor(0.0));
    }

    @Test
    void rejectsFractionsThatCannotBe() {
        assertEquals("fault injection: dropFraction must be in [0, 1], was 1.5",
                assertThrows(IllegalArgumentException.class,
                        () -> FaultInjection.builder().dropFraction(1.5).build()).getMessage());
        assertEquals("fault injection: fractions add up to 1.2, must be at most 1",
                assertThrows(IllegalArgumentException.class,
                        () -> FaultInjection.builder().throttleFraction(0.6).serverErrorFraction(0.6).build()).getMessage());
    }

    @Test
    void injectedThrottlesAndServerErrorsReachTheSdkAsSuch() {
        FaultInjection faults = FaultInjection.builder().throttleFraction(0.3).serverErrorFraction(0.2).seed(42).build();
        try (WebSocketGateway gateway = WebSocketGateway.builder().faults(faults).build().start();
             ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(gateway.managementEndpoint())) {
            List<String> ids = gateway.registerVirtualConnections(1);
            int throttled = 0;
            int failed = 0;
            int delivered = 0;
            for (int i = 0; i < 400; i++) {
                try {
                    api.postToConnection(post -> post.connectionId(ids.get(0)).data(SdkBytes.fromUtf8String("x")));
                    delivered++;
                } catch (LimitExceededException e) {
                    throttled++;
                } catch (ApiGatewayManagementApiException e) {
                    assertEquals(500, e.statusCode());
                    failed++;
                }
            }
            assertTrue(throttled > 80 && throttled < 160, "about 30% throttled: " + throttled);
            assertTrue(failed > 45 && failed < 115, "about 20% failed: " + failed);
            assertEquals(delivered, gateway.counters().virtualMessagesDelivered());
            assertEquals(throttled, gateway.counters().posts(429));
            assertEquals(failed, gateway.counters().posts(500));
        }
    }

    @Test
    void aDroppedConnectionIsClosedGoneAndDisconnected() throws Exception {
        try (RecordingRoute connect = RecordingRoute.answering("connect", 200);
             RecordingRoute disconnect = RecordingRoute.answering("disconnect", 200);
             WebSocketGateway gateway = WebSocketGateway.builder()
                     .connectRoute(connect.function()).disconnectRoute(disconnect.function())
                     .faults(FaultInjection.builder().dropFraction(1.0).build())
                     .build().start();
             ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(gateway.managementEndpoint())) {
            RecordingClient client = RecordingClient.connect(HttpClient.newHttpClient(), gateway.webSocketUri())
                    .get(10, TimeUnit.SECONDS);
            String id = connect.awaitEvents(1).get(0).get("requestContext").get("connectionId").asText();

            assertThrows(GoneException.class,
                    () -> api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("never"))));

            assertEquals(1001, client.closeCode().get(10, TimeUnit.SECONDS));
            assertEquals(id, disconnect.awaitEvents(1).get(0).get("requestContext").get("connectionId").asText());
            assertFalse(client.hasMessage(), "a dropped message is not delivered");
        }
    }

    @Test
    void theSameSeedInjectsTheSameFaults() {
        List<String> first = outcomes(7);
        assertEquals(first, outcomes(7));
        assertTrue(first.contains("ok") && first.contains("429"), "half throttled: " + first);
    }

    private static List<String> outcomes(long seed) {
        FaultInjection faults = FaultInjection.builder().throttleFraction(0.5).seed(seed).build();
        try (WebSocketGateway gateway = WebSocketGateway.builder().faults(faults).build().start();
             ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(gateway.managementEndpoint())) {
            String id = gateway.registerVirtualConnections(1).get(0);
            return IntStream.range(0, 30).mapToObj(i -> {
                try {
                    api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("x")));
                    return "ok";
                } catch (LimitExceededException e) {
                    return "429";
                }
            }).toList();
        }
    }
}
