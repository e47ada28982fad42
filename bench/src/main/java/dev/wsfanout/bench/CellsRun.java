package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalCells;
import dev.wsfanout.stack.LocalDeployment;
import dev.wsfanout.stack.LocalDeploymentOptions;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The cells run (docs/cells.md): the same broadcast over one cell and over N cells, each cell's
 * gateway limited to the same @connections budget (its own account's quota), in one run on this
 * machine. A broadcast starts at the home's cross-cell state machine; each cell has its virtual
 * connections (through its real $connect) and real WebSocket clients. Holds only if every
 * connection of every cell got each broadcast exactly once; the rates are what it measures.
 */
final class CellsRun {

    private static final int PARALLEL_HANDSHAKES = 32;
    private static final Duration BROADCAST_DEADLINE = Duration.ofMinutes(10);
    /** How long real sockets may take to show a frame the gateway has sent once the audit is settled. */
    private static final Duration STRAGGLER_WAIT = Duration.ofSeconds(10);

    private final CellsSize size;
    private final Progress progress;

    CellsRun(CellsSize size, Progress progress) {
        this.size = size;
        this.progress = progress;
    }

    /** One broadcast over some cells: what each cell delivered and what the audit said. */
    record Outcome(int cells, List<CellFigures> perCell, JsonNode audit, double executionSeconds, OptionalDouble cpuBusy,
                   List<OptionalDouble> cpuPerSecond) {

        long deliveries() {
            return perCell.stream().mapToLong(CellFigures::deliveries).sum();
        }

        /** Deliveries per second from the first delivery in any cell to the last in any. */
        double deliveriesPerSecond() {
            long first = firstMillis(perCell);
            long last = lastMillis(perCell);
            return last > first ? deliveries() * 1000.0 / (last - first) : 0;
        }

        /**
         * The guarantee (README "What is guaranteed"): every connection reached, at most the failure
         * model's second copy (a post that timed out after it reached the client), and the audit exact.
         */
        boolean held() {
            return perCell.stream().allMatch(c -> c.missing() == 0 && c.maxCopies() <= 2)
                    && audit.path("total").path("delivered").asLong() == (long) cells * perCell.get(0).connections();
        }
    }

    /**
     * One cell's part of a broadcast.
     *
     * @param deliveries  copies its virtual connections received (the rate's count)
     * @param perSecond   its virtual deliveries in each second from the first delivery in any cell
     */
    record CellFigures(String cell, int connections, long deliveries, int missing, int duplicated, int maxCopies,
                       long firstMillis, long lastMillis, List<Integer> perSecond) {

        double deliveriesPerSecond() {
            return lastMillis > firstMillis ? deliveries * 1000.0 / (lastMillis - firstMillis) : 0;
        }
    }

    /** One cell, then {@code size.cells()}: the same budget per cell, the same connections per cell. */
    List<Outcome> run() throws InterruptedException {
        try (MachineCpu cpu = MachineCpu.start()) {
            List<Outcome> outcomes = new ArrayList<>();
            outcomes.add(broadcastOver(1, cpu));
            outcomes.add(broadcastOver(size.cells(), cpu));
            return outcomes;
        }
    }

    private Outcome broadcastOver(int cellCount, MachineCpu cpu) throws InterruptedException {
        List<CellDeliveries> listeners = new ArrayList<>();
        for (int i = 0; i < cellCount; i++) {
            listeners.add(new CellDeliveries());
        }
        progress.say("cells: starting %d cell(s), each with its gateway limited to %,d posts/s", cellCount, size.postsPerSecond());
        try (LocalCells cells = LocalCells.start(cellCount, i -> LocalDeploymentOptions.builder()
                .env(FanoutConfig.PARTITION_COUNT, Integer.toString(size.partitions()))
                .gatewayRateLimit(size.postsPerSecond(), size.postsPerSecond() / 2)
                .pollInterval(Duration.ofSeconds(1))
                .env(FanoutConfig.CHUNK_SIZE, Integer.toString(size.chunkSize()))
                .virtualDeliveries(listeners.get(i - 1))
                .build(), 0)) {
            List<List<String>> virtualIds = new ArrayList<>();
            List<WebSocketSwarm> swarms = new ArrayList<>();
            try {
                for (LocalDeployment cell : cells.cells()) {
                    virtualIds.add(cell.gateway().registerVirtualConnections(size.virtualPerCell()));
                    swarms.add(WebSocketSwarm.connect(cell.gateway().webSocketUri(), size.socketsPerCell(), PARALLEL_HANDSHAKES, n -> { }));
                    progress.say("cells: cell %d of %d has %,d virtual connections and %,d WebSocket clients", virtualIds.size(),
                            cellCount, size.virtualPerCell(), size.socketsPerCell());
                }
                String name = "cells-" + cellCount + "-" + System.currentTimeMillis();
                long started = System.nanoTime();
                JsonNode audit = broadcast(cells, name);
                double executionSeconds = (System.nanoTime() - started) / 1e9;
                for (WebSocketSwarm swarm : swarms) {
                    swarm.awaitAll(name, STRAGGLER_WAIT);
                }
                List<CellDeliveries.Broadcast> delivered = listeners.stream().map(l -> l.of(name)).toList();
                long firstSecond = delivered.stream().mapToLong(CellDeliveries.Broadcast::firstMillis).min().orElse(0) / 1000;
                long lastSecond = delivered.stream().mapToLong(CellDeliveries.Broadcast::lastMillis).max().orElse(0) / 1000;
                List<CellFigures> perCell = new ArrayList<>();
                for (int i = 0; i < cellCount; i++) {
                    perCell.add(figures(LocalCells.cellName(i + 1), delivered.get(i), virtualIds.get(i), swarms.get(i), name,
                            firstSecond, lastSecond));
                }
                List<OptionalDouble> cpuPerSecond = new ArrayList<>();
                for (long s = firstSecond; s <= lastSecond; s++) {
                    cpuPerSecond.add(cpu.busyIn(s));
                }
                Outcome outcome = new Outcome(cellCount, perCell, audit, executionSeconds,
                        cpu.busyBetween(firstMillis(perCell), lastMillis(perCell)), cpuPerSecond);
                progress.say("cells: %d cell(s): %,d deliveries at %,.0f/s, execution %.1f s, machine CPU busy %s", cellCount,
                        outcome.deliveries(), outcome.deliveriesPerSecond(), executionSeconds, CellsReport.percent(outcome.cpuBusy()));
                return outcome;
            } finally {
                swarms.forEach(WebSocketSwarm::close);
            }
        }
    }

    private JsonNode broadcast(LocalCells cells, String name) throws InterruptedException {
        try (SfnClient sfn = SfnClient.builder().endpointOverride(cells.stepFunctionsEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER).build()) {
            String arn = sfn.startExecution(r -> r.stateMachineArn(cells.stateMachineArn()).name(name)
                    .input("{\"message\":{\"text\":\"hello, every cell\"}}")).executionArn();
            long deadline = System.nanoTime() + BROADCAST_DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(arn));
                if (d.status() != ExecutionStatus.RUNNING) {
                    if (d.status() != ExecutionStatus.SUCCEEDED) {
                        throw new IllegalStateException("the cross-cell broadcast " + name + " ended " + d.status() + ": "
                                + d.error() + ": " + d.cause());
                    }
                    return JsonCodec.readTree(d.output());
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException("the cross-cell broadcast " + name + " still runs after " + BROADCAST_DEADLINE);
        }
    }

    private static long firstMillis(List<CellFigures> perCell) {
        return perCell.stream().mapToLong(CellFigures::firstMillis).min().orElse(0);
    }

    private static long lastMillis(List<CellFigures> perCell) {
        return perCell.stream().mapToLong(CellFigures::lastMillis).max().orElse(0);
    }

    private CellFigures figures(String cell, CellDeliveries.Broadcast broadcast, List<String> virtualIds, WebSocketSwarm swarm, String name,
                                long firstSecond, long lastSecond) {
        List<Integer> copies = new ArrayList<>();
        virtualIds.forEach(id -> copies.add(broadcast.copies(id)));
        swarm.clients().forEach(client -> copies.add(client.receipts(name).size()));
        int missing = (int) copies.stream().filter(c -> c == 0).count();
        int duplicated = (int) copies.stream().filter(c -> c > 1).count();
        int maxCopies = copies.stream().mapToInt(Integer::intValue).max().orElse(0);
        List<Integer> perSecond = new ArrayList<>();
        if (broadcast.deliveries() > 0) {
            for (long s = firstSecond; s <= lastSecond; s++) {
                perSecond.add(broadcast.inSecond(s));
            }
        }
        return new CellFigures(cell, virtualIds.size() + swarm.clients().size(), broadcast.deliveries(), missing, duplicated, maxCopies,
                broadcast.firstMillis(), broadcast.lastMillis(), perSecond);
    }
}
