package dev.wsfanout.stack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.handlers.ConnectHandler;
import dev.wsfanout.local.gateway.WebSocketGateway;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.registry.ConnectionRegistry;
import dev.wsfanout.local.faults.AwsService;
import dev.wsfanout.local.faults.FaultKind;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.faults.FaultRule;
import dev.wsfanout.registry.ConnectionProbe;
import dev.wsfanout.registry.RegistryCensus;
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
        try (LocalDeployment stack = LocalDeployment.start(LocalDeploymentOptions.builder().env("PARTITION_COUNT", "25").build())) {
            ConnectionRegistry registry = new ConnectionRegistry(stack.dynamo(), stack.config(), Clock.systemUTC());
            try (WebSocketSwarm swarm = WebSocketSwarm.connect(stack.gateway().webSocketUri(), 300, 100, n -> { })) {
                LocalCensus census = stack.census();
                assertEquals(300, census.rows(), "one row per open socket");
                assertTrue(census.exact(), census.toString());
                assertEquals(300, totalCount(registry, 25));
            }
            awaitOpenConnections(stack.gateway(), 0);
            LocalCensus after = awaitExact(stack);
            assertTrue(after.exact(), "closing a socket removes its row and its count: " + after);
            assertEquals(0, totalCount(registry, 25));
        }
    }

    /**
     * Issue 12, defect 3: API Gateway does not guarantee $disconnect. The rows a lost one leaves
     * are found by the sweeper's GetConnection probe (410) once they are past the grace, and
     * removed with their counts; the rows of open sockets are kept.
     */
    @Test
    void theSweeperRemovesTheRowsOfLostDisconnectsAndKeepsTheOpenOnes() throws Exception {
        try (LocalDeployment stack = LocalDeployment.start(LocalDeploymentOptions.builder().env("PARTITION_COUNT", "10")
                .droppedDisconnects(1.0).build());
             var api = stack.clients().managementApi(8)) {
            WebSocketSwarm staying = WebSocketSwarm.connect(stack.gateway().webSocketUri(), 30, 30, n -> { });
            try (WebSocketSwarm leaving = WebSocketSwarm.connect(stack.gateway().webSocketUri(), 20, 20, n -> { })) {
                assertEquals(50, stack.census().rows());
            }
            awaitOpenConnections(stack.gateway(), 30);
            LocalCensus lost = stack.census();
            assertEquals(20, lost.rowsWithoutSocket(), lost.toString());
            assertEquals(20, stack.gateway().counters().disconnectsDropped());

            // Past the grace: the sweeper's clock runs 11 s ahead instead of the test waiting.
            Clock later = Clock.offset(Clock.systemUTC(), ConnectionRegistry.CONNECTING_GRACE.plusSeconds(1));
            var sweep = new StaleConnectionSweeper(stack.dynamo(), stack.config(), later,
                    new ConnectionProbe(api, 1000, 8), Duration.ZERO).sweep();

            assertEquals(50, sweep.probed(), sweep.toString());
            assertEquals(20, sweep.goneRemoved(), sweep.toString());
            assertEquals(30, sweep.rows());
            assertEquals(0, sweep.partitionsRepaired(), "the counts were lowered with the rows: " + sweep.repairs());
            LocalCensus after = stack.census();
            assertTrue(after.exact(), after.toString());
            assertEquals(30, after.rows());
            staying.close();
        }
    }

    /**
     * Issue 12, defect 2: a $connect that outlasts its timeout is refused with 502 and must leave
     * no row. Measured while fixing it: here the emulator's interrupt of the timed-out sandbox
     * already stops the SDK's retry of the held put, so this guards the behaviour rather than
     * reproducing a defect; the budget on $connect's writes is for AWS, where a frozen sandbox
     * cannot remove what it wrote. A put applied after the refusal is the sweeper's probe's to
     * remove (theSweeperRemovesTheRowsOfLostDisconnectsAndKeepsTheOpenOnes).
     */
    @Test
    void aConnectThatTimesOutIsRefusedAndLeavesNoRow() throws Exception {
        try (LocalDeployment stack = LocalDeployment.start(LocalDeploymentOptions.builder().env("PARTITION_COUNT", "5")
                .connectTimeout(Duration.ofSeconds(1))
                .awsFaults(FaultPlan.builder().rule(FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem")
                        .resource("wsfanout-connections").fault(FaultKind.TIMEOUT).hold(Duration.ofSeconds(2)).times(1).build()).build())
                .build())) {
            var refused = assertThrows(IllegalStateException.class, () ->
                    WebSocketSwarm.connect(stack.gateway().webSocketUri(), 1, 1, n -> { }));
            assertTrue(refused.getMessage().contains("could not connect"), refused.getMessage());
            // An absence can only be shown by waiting past the moment it would have ended: an
            // unbounded put is held 2 s, then retried by the SDK and applied within milliseconds.
            Thread.sleep(4_000);
            LocalCensus census = stack.census();
            assertEquals(0, census.rows(), "the refused socket left no row: " + census);
            assertTrue(census.exact(), census.toString());
        }
    }

    @Test
    void aConnectRouteAnswering403RefusesTheSocketAndLeavesNoRow() {
        try (LocalDeployment stack = LocalDeployment.start(LocalDeploymentOptions.builder().env("PARTITION_COUNT", "5").build());
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
            assertEquals(1, new RegistryCensus(stack.dynamo(), stack.config()).take().rows(),
                    "only the admitted socket has a row (this gateway has no $disconnect route): the refused one left none");
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

    /** $disconnect runs after the socket closed, so the rows and counts follow a moment later. */
    private static LocalCensus awaitExact(LocalDeployment stack) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        LocalCensus census = stack.census();
        while (!(census.exact() && census.rows() == 0) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            census = stack.census();
        }
        return census;
    }
}
