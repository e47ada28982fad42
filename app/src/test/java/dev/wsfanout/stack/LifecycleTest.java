package dev.wsfanout.stack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.handlers.ConnectHandler;
import dev.wsfanout.local.gateway.WebSocketGateway;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.registry.ConnectionRegistry;
import dev.wsfanout.registry.StaleConnectionSweeper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle handlers behind the gateway emulator, with real sockets: what the registry holds follows who is connected. */
class LifecycleTest {

    @Test
    void connectingAndClosingRealClientsKeepsRowsAndCountsExact() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStackOptions.builder().env("PARTITION_COUNT", "25").build())) {
            StaleConnectionSweeper census = new StaleConnectionSweeper(stack.dynamo(), stack.config(), Clock.systemUTC());
            ConnectionRegistry registry = new ConnectionRegistry(stack.dynamo(), stack.config(), Clock.systemUTC());
            try (WebSocketSwarm swarm = WebSocketSwarm.connect(stack.gateway().webSocketUri(), 300, 100, n -> { })) {
                var sweep = census.sweep();
                assertEquals(300, sweep.connectionsCounted(), "one row per open socket");
                assertEquals(0, sweep.partitionsRepaired(), "every partition count equals its rows: " + sweep.repairs());
                assertEquals(300, totalCount(registry, 25));
            }
            awaitOpenConnections(stack.gateway(), 0);
            var after = awaitCensus(census, 0);
            assertEquals(0, after.connectionsCounted(), "closing a socket removes its row");
            assertEquals(0, after.partitionsRepaired(), after.repairs().toString());
            assertEquals(0, totalCount(registry, 25));
        }
    }

    @Test
    void aConnectRouteAnswering403RefusesTheSocketAndLeavesNoRow() {
        try (LocalStack stack = LocalStack.start(LocalStackOptions.builder().env("PARTITION_COUNT", "5").build());
             LocalFunction refusing = LocalFunction.of("refuse", (APIGatewayV2WebSocketEvent event, com.amazonaws.services.lambda.runtime.Context c) -> {
                 // A gatekeeper in front of the real handler: what an authorizer-like $connect does.
                 if ("no".equals(event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get("let-in"))) {
                     APIGatewayV2WebSocketResponse r = new APIGatewayV2WebSocketResponse();
                     r.setStatusCode(403);
                     return r;
                 }
                 return new ConnectHandler(new ConnectionRegistry(stack.dynamo(), stack.config(), Clock.systemUTC())).handleRequest(event, c);
             }, APIGatewayV2WebSocketEvent.class, 8, Duration.ofSeconds(5));
             WebSocketGateway gateway = WebSocketGateway.builder().stage("local").connectRoute(refusing).build().start()) {
            var refused = assertThrows(IllegalStateException.class, () ->
                    WebSocketSwarm.connect(java.net.URI.create(gateway.webSocketUri() + "?let-in=no"), 1, 1, n -> { }));
            assertTrue(refused.getMessage().contains("could not connect"), refused.getMessage());
            try (WebSocketSwarm admitted = WebSocketSwarm.connect(java.net.URI.create(gateway.webSocketUri() + "?let-in=yes"), 1, 1, n -> { })) {
                assertEquals(1, admitted.size());
            }
            assertEquals(1, gateway.counters().connectsRejected());
            var census = new StaleConnectionSweeper(stack.dynamo(), stack.config(), Clock.systemUTC()).sweep();
            assertTrue(census.connectionsCounted() <= 1, "the refused socket left no row");
        }
    }

    private static long totalCount(ConnectionRegistry registry, int partitions) {
        long total = 0;
        for (int p = 1; p <= partitions; p++) {
            total += registry.partitionCount(p);
        }
        return total;
    }

    private static void awaitOpenConnections(WebSocketGateway gateway, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (gateway.counters().realConnectionsOpen() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("open connections did not reach " + expected + ": " + gateway.counters());
            }
            Thread.sleep(50);
        }
    }

    /** $disconnect runs after the socket closed, so the rows follow a moment later. */
    private static StaleConnectionSweeper.SweepReport awaitCensus(StaleConnectionSweeper census, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        StaleConnectionSweeper.SweepReport report = census.sweep();
        while (report.connectionsCounted() != expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            report = census.sweep();
        }
        return report;
    }
}
