package dev.wsfanout.cli;

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

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code wsfanout demo --cells N}: N local cells (docs/cells.md), the clients spread evenly over
 * them as equal Route 53 weights would spread them, one broadcast through the cross-cell state
 * machine, and the check at the clients that every one, in every cell, got it exactly once.
 */
final class CellsDemo {

    private static final int PARALLEL_HANDSHAKES = 64;
    private static final Duration STRAGGLER_WAIT = Duration.ofSeconds(10);
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final String DEMO_SUBJECT = "demo-client";

    private final int cellCount;
    private final int clients;
    private final int partitions;

    CellsDemo(int cellCount, int clients, int partitions) {
        this.cellCount = cellCount;
        this.clients = clients;
        this.partitions = partitions;
    }

    int run(PrintWriter out, ProgressLine progress) throws InterruptedException {
        progress.show(String.format(Locale.ROOT, "starting %d local cells (each: dynalite, ElasticMQ, gateway, Step Functions)...", cellCount));
        try (LocalCells cells = LocalCells.start(cellCount, i -> LocalDeploymentOptions.builder()
                .env(FanoutConfig.PARTITION_COUNT, Integer.toString(partitions))
                .connectTokenSecret(ConnectUrls.newSecret()).build(), 0)) {
            progress.show(cellCount + " cells up; cross-cell state machine at " + cells.stepFunctionsEndpoint());
            progress.done();
            List<WebSocketSwarm> swarms = new ArrayList<>();
            try {
                List<LocalDeployment> deployments = cells.cells();
                for (int i = 0; i < cellCount; i++) {
                    int share = clients / cellCount + (i < clients % cellCount ? 1 : 0);
                    progress.show(String.format(Locale.ROOT, "connecting %,d clients to %s...", share, LocalCells.cellName(i + 1)));
                    swarms.add(WebSocketSwarm.connect(ConnectUrls.of(deployments.get(i), DEMO_SUBJECT), share, PARALLEL_HANDSHAKES, n -> { }));
                }
                progress.show(String.format(Locale.ROOT, "connected %,d WebSocket clients over %d cells", clients, cellCount));
                progress.done();
                long[] postsBefore = deployments.stream().mapToLong(d -> d.gateway().counters().postsTotal()).toArray();

                String name = "demo-" + System.currentTimeMillis();
                long startedAt = System.currentTimeMillis();
                JsonNode audit = broadcast(cells, name, () -> progress.show(posted(deployments, postsBefore)));
                progress.done();
                for (WebSocketSwarm swarm : swarms) {
                    swarm.awaitAll(name, STRAGGLER_WAIT);
                }
                return report(out, audit, swarms, name, startedAt);
            } finally {
                swarms.forEach(WebSocketSwarm::close);
            }
        }
    }

    private static String posted(List<LocalDeployment> deployments, long[] before) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < deployments.size(); i++) {
            parts.add(String.format(Locale.ROOT, "%s %,d", LocalCells.cellName(i + 1), deployments.get(i).gateway().counters().postsTotal() - before[i]));
        }
        return "posted: " + String.join(" · ", parts);
    }

    private static JsonNode broadcast(LocalCells cells, String name, Runnable showProgress) throws InterruptedException {
        try (SfnClient sfn = SfnClient.builder().endpointOverride(cells.stepFunctionsEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER).build()) {
            String input = JsonCodec.write(JsonCodec.mapper().createObjectNode().set("message", JsonCodec.mapper().createObjectNode()
                    .put("text", "hello from the wsfanout demo, every cell").put("sentAt", System.currentTimeMillis())));
            String arn = sfn.startExecution(r -> r.stateMachineArn(cells.stateMachineArn()).name(name).input(input)).executionArn();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(arn));
                showProgress.run();
                if (d.status() == ExecutionStatus.SUCCEEDED) {
                    return JsonCodec.readTree(d.output());
                }
                if (d.status() != ExecutionStatus.RUNNING) {
                    // A failed cross-cell broadcast carries its audit as the cause (or says what was wrong with the input).
                    try {
                        return JsonCodec.readTree(d.cause());
                    } catch (JsonCodec.MalformedJsonException notAnAudit) {
                        throw new CliException(CliException.FAILED, "the cross-cell broadcast failed: " + d.error() + ": " + d.cause());
                    }
                }
                Thread.sleep(250);
            }
            throw new CliException(CliException.FAILED, "the cross-cell broadcast " + name + " still runs after " + DEADLINE.toMinutes() + " minutes");
        }
    }

    private int report(PrintWriter out, JsonNode audit, List<WebSocketSwarm> swarms, String name, long startedAt) {
        SwarmReceipts r = SwarmReceipts.of(swarms.stream().flatMap(s -> s.clients().stream()).toList(), name, startedAt);
        int exactlyOnce = r.exactlyOnce();
        int missing = r.missing();
        int duplicated = r.duplicated();
        List<Long> latencies = r.latencies();
        out.print(CrossCellAuditText.format(audit));
        if (!latencies.isEmpty()) {
            out.println(LatencyReport.of(latencies).format());
        }
        JsonNode total = audit.path("total");
        boolean allOnce = total.path("succeeded").asInt() == cellCount && total.path("delivered").asLong() == clients && exactlyOnce == clients;
        out.println(String.format(Locale.ROOT, "%s: %d cells, delivered = %d of %d clients, exactly once = %d, missing = %d, duplicated = %d",
                allOnce ? "OK" : "FAILED", cellCount, total.path("delivered").asLong(), clients, exactlyOnce, missing, duplicated));
        out.flush();
        return allOnce ? 0 : CliException.FAILED;
    }
}
