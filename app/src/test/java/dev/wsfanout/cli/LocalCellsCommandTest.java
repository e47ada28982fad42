package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.model.JsonCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wsfanout local --cells 2} in the test JVM, then {@code send} and {@code audit} finding the
 * cross-cell machine through the state file, with real WebSocket clients in both cells; and
 * {@code demo --cells}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalCellsCommandTest {

    private static final int CLIENTS_PER_CELL = 10;

    @TempDir
    static Path home;
    private CliContext context;
    private Thread localThread;
    private final CompletableFuture<CliRun> localRun = new CompletableFuture<>();
    private final List<WebSocketSwarm> swarms = new ArrayList<>();

    @BeforeAll
    void startLocal() throws Exception {
        context = new CliContext(home.resolve("local.json"), Map.of());
        localThread = new Thread(() -> localRun.complete(CliRun.of(context, "local", "--cells", "2", "--sfn-port", "0",
                "--partitions", "10")), "wsfanout-local-cells-under-test");
        localThread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(context.stateFile()) && !localRun.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(localRun.isDone(), () -> "local ended early: " + localRun.join());
        RunningStack running = new LocalDeploymentFile(context.stateFile()).read().orElseThrow();
        assertTrue(running.crossCell());
        assertEquals(2, running.cells().size());
        for (RunningStack cell : running.cells()) {
            String token = ConnectUrls.tokensOf(cell).mint("swarm", ConnectUrls.LOCAL_SESSION, java.time.Instant.now());
            swarms.add(WebSocketSwarm.connect(ConnectUrls.withToken(URI.create(cell.webSocketUrl()), token), CLIENTS_PER_CELL, 10, n -> { }));
        }
    }

    @AfterAll
    void stop() {
        swarms.forEach(WebSocketSwarm::close);
        if (localThread != null && localThread.isAlive()) {
            localThread.interrupt();
            localRun.orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    @Test
    @Order(1)
    void sendWaitGoesThroughTheCrossCellMachineAndEveryClientOfEveryCellGetsItOnce() {
        CliRun run = CliRun.of(context, "send", "--message", "hi", "--name", "cells-1", "--wait");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("started cross-cell broadcast cells-1"), run::toString);
        assertTrue(run.out().contains("cross-cell broadcast cells-1, seq 1"), run::toString);
        assertTrue(run.out().contains("2 of 2 cells delivered; 20 of 20 connections (gone 0, failed 0)"), run::toString);
        assertTrue(run.out().contains("cell-1") && run.out().contains("delivered 10 of 10"), run::toString);
        for (WebSocketSwarm swarm : swarms) {
            assertTrue(swarm.awaitAll("cells-1", Duration.ofSeconds(5)));
            for (WebSocketSwarm.Client client : swarm.clients()) {
                assertEquals(1, client.receipts("cells-1").size());
                assertEquals("{\"broadcastId\":\"cells-1\",\"seq\":1,\"data\":\"hi\"}", client.firstText("cells-1"));
            }
        }
    }

    @Test
    @Order(2)
    void auditJsonIsTheCrossCellAudit() {
        CliRun run = CliRun.of(context, "audit", "--json", "cells-1");

        assertEquals(0, run.exitCode(), run::toString);
        JsonNode audit = JsonCodec.readTree(run.out());
        assertEquals("cells-1", audit.get("broadcastId").asText());
        assertEquals(1, audit.get("seq").asLong());
        assertEquals(20, audit.get("total").get("delivered").asLong());
        assertEquals(2, audit.get("cells").size());
    }

    @Test
    @Order(3)
    void theNextBroadcastTakesTheNextNumberInEveryCell() {
        CliRun run = CliRun.of(context, "send", "--message", "second", "--name", "cells-2", "--wait");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("cross-cell broadcast cells-2, seq 2"), run::toString);
        for (WebSocketSwarm swarm : swarms) {
            assertTrue(swarm.awaitAll("cells-2", Duration.ofSeconds(5)));
            for (WebSocketSwarm.Client client : swarm.clients()) {
                assertEquals("{\"broadcastId\":\"cells-2\",\"seq\":2,\"data\":\"second\"}", client.firstText("cells-2"));
            }
        }
    }

    @Test
    void demoSpreadsItsClientsOverTheCellsAndEachGetsTheBroadcastOnce(@TempDir Path demoHome) {
        CliRun run = CliRun.of(new CliContext(demoHome.resolve("local.json"), Map.of()), "demo", "--cells", "2", "--clients", "21",
                "--partitions", "10");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("OK: 2 cells, delivered = 21 of 21 clients, exactly once = 21, missing = 0, duplicated = 0"), run::toString);
    }
}
