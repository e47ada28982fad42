package dev.wsfanout.local.gateway;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayStartupTest {

    @Test
    void endpointsAreOnLoopbackWithTheStage() {
        try (WebSocketGateway gateway = WebSocketGateway.builder().stage("dev").build().start()) {
            assertTrue(gateway.webSocketUri().toString().matches("ws://127\\.0\\.0\\.1:\\d+/dev"), gateway.webSocketUri().toString());
            assertTrue(gateway.managementEndpoint().toString().matches("http://127\\.0\\.0\\.1:\\d+/dev"));
            assertTrue(gateway.webSocketUri().getPort() != gateway.managementEndpoint().getPort());
        }
    }

    @Test
    void aPortInUseIsNamedInTheError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            IllegalStateException webSocket = assertThrows(IllegalStateException.class,
                    () -> WebSocketGateway.builder().webSocketPort(port).build().start());
            assertTrue(webSocket.getMessage().startsWith("port " + port + " is in use (the WebSocket listener"), webSocket.getMessage());
            IllegalStateException management = assertThrows(IllegalStateException.class,
                    () -> WebSocketGateway.builder().managementPort(port).build().start());
            assertTrue(management.getMessage().startsWith("port " + port + " is in use (the management API"), management.getMessage());
        }
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals("stage must be 1-128 letters, digits, '-' or '_', was my stage",
                assertThrows(IllegalArgumentException.class, () -> WebSocketGateway.builder().stage("my stage")).getMessage());
        assertEquals("webSocketPort must be 0..65535, was 70000",
                assertThrows(IllegalArgumentException.class, () -> WebSocketGateway.builder().webSocketPort(70_000)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WebSocketGateway.builder().route("$connect", null)).getMessage().startsWith("route key must be non-blank"));
        assertEquals("registerVirtualConnections: count must be >= 0, was -1",
                assertThrows(IllegalArgumentException.class, () -> {
                    try (WebSocketGateway gateway = WebSocketGateway.builder().build().start()) {
                        gateway.registerVirtualConnections(-1);
                    }
                }).getMessage());
        assertEquals("gateway not started: call start() first",
                assertThrows(IllegalStateException.class, () -> WebSocketGateway.builder().build().webSocketUri()).getMessage());
    }

    @Test
    void theStandaloneMainNamesABadArgument() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GatewayMain.configure(new String[] {"--ws-port", "eighty"})).getMessage()
                .startsWith("--ws-port needs a whole number, was 'eighty'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GatewayMain.configure(new String[] {"--verbose"})).getMessage()
                .startsWith("unknown argument '--verbose'"));
    }
}
