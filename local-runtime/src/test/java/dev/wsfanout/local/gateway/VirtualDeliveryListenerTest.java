package dev.wsfanout.local.gateway;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VirtualDeliveryListenerTest {

    private record Delivery(String connectionId, String text) {
    }

    @Test
    void theListenerHearsEachDeliveredMessageWithItsConnectionAndNothingElse() {
        List<Delivery> heard = new CopyOnWriteArrayList<>();
        try (RecordingRoute connect = RecordingRoute.answering("connect", 200);
             RecordingRoute disconnect = RecordingRoute.answering("disconnect", 200);
             WebSocketGateway gateway = WebSocketGateway.builder()
                     .connectRoute(connect.function())
                     .disconnectRoute(disconnect.function())
                     .virtualDeliveries((id, utf8) -> heard.add(new Delivery(id, new String(utf8, StandardCharsets.UTF_8))))
                     .build()
                     .start();
             ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(gateway.managementEndpoint())) {
            List<String> ids = gateway.registerVirtualConnections(3);

            api.postToConnection(post -> post.connectionId(ids.get(0)).data(SdkBytes.fromUtf8String("wörld")));
            api.postToConnection(post -> post.connectionId(ids.get(1)).data(SdkBytes.fromUtf8String("one")));
            api.postToConnection(post -> post.connectionId(ids.get(1)).data(SdkBytes.fromUtf8String("two")));
            api.deleteConnection(delete -> delete.connectionId(ids.get(2)));
            assertThrows(GoneException.class,
                    () -> api.postToConnection(post -> post.connectionId(ids.get(2)).data(SdkBytes.fromUtf8String("late"))));

            assertEquals(List.of(new Delivery(ids.get(0), "wörld"), new Delivery(ids.get(1), "one"), new Delivery(ids.get(1), "two")),
                    heard);
        }
    }

    @Test
    void anInjectedFaultIsNotADelivery() {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (RecordingRoute connect = RecordingRoute.answering("connect", 200);
             WebSocketGateway gateway = WebSocketGateway.builder()
                     .connectRoute(connect.function())
                     .faults(FaultInjection.builder().throttleFraction(1).build())
                     .virtualDeliveries((id, utf8) -> heard.add(id))
                     .build()
                     .start();
             ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(gateway.managementEndpoint())) {
            String id = gateway.registerVirtualConnections(1).get(0);

            assertThrows(LimitExceededException.class,
                    () -> api.postToConnection(post -> post.connectionId(id).data(SdkBytes.fromUtf8String("x"))));

            assertEquals(List.of(), heard);
        }
    }
}
