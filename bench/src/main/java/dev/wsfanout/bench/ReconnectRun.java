package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.local.gateway.GatewayCounters;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalDeployment;
import dev.wsfanout.stack.LocalDeploymentOptions;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The reconnect run of issue 16: a fleet of JavaScript library clients (Node) on the local stack,
 * whose gateway closes every connection after a compressed lifetime, while a stream of broadcasts
 * runs; the library reconnects, resumes and orders. The run holds when every client delivered every
 * broadcast exactly once and in order, with no gap, and every client reconnected at least twice.
 */
final class ReconnectRun {

    /** A broadcast to a few thousand clients on 2 cores settles in seconds; this bounds a stuck one. */
    private static final Duration BROADCAST_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    /** The run's premise: every client crossed at least this many reconnects (README, the reconnect run). */
    private static final int MIN_RECONNECTS = 2;
    /** Beyond one lifetime, for the reconnect's own handshake and resume. */
    private static final Duration RECONNECT_GRACE = Duration.ofSeconds(20);

    private final ReconnectSize size;
    private final Progress progress;

    ReconnectRun(ReconnectSize size, Progress progress) {
        this.size = size;
        this.progress = progress;
    }

    /** One row of the run over time: the fleet's counters at {@code second}. */
    record Sample(long second, long broadcastsStarted, JsonNode fleet) {
    }

    /** What the run came to. */
    record Outcome(List<Long> sequence, int broadcastsFailed, List<String> failures, JsonNode result,
                   List<Sample> samples, GatewayCounters gateway, double streamSeconds) {

        boolean held() {
            return broadcastsFailed == 0
                    && result.path("complete").asInt(-1) == result.path("clients").asInt(-2)
                    && result.path("extraDeliveries").asLong(-1) == 0
                    && result.path("outOfOrder").asLong(-1) == 0
                    && result.path("gaps").asLong(-1) == 0
                    && result.path("minReconnectsPerClient").asLong(0) >= MIN_RECONNECTS;
        }
    }

    Outcome run() {
        LocalDeploymentOptions options = LocalDeploymentOptions.builder()
                .env(FanoutConfig.PARTITION_COUNT, Integer.toString(size.partitions()))
                .connectionTimeouts(Duration.ofMinutes(10), size.lifetime())
                .build();
        progress.say("reconnect run (%s): %,d library clients, connections closed after %d s, a broadcast every %d s for %d s",
                size.name(), size.clients(), size.lifetime().toSeconds(), size.broadcastInterval().toSeconds(),
                size.streamDuration().toSeconds());
        try (LocalDeployment stack = LocalDeployment.start(options);
             SfnClient sfn = SfnClient.builder().endpointOverride(stack.stepFunctionsEndpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(LocalCredentials.PROVIDER).build();
             NodeFleet fleet = NodeFleet.start(stack.gateway().webSocketUri(), size.clients(), size.ramp())) {
            fleet.awaitReady(size.ramp().plus(Duration.ofMinutes(2)));
            progress.say("all %,d clients open with their baseline; the stream starts", size.clients());

            List<String> executions = new ArrayList<>();
            List<Sample> samples = new ArrayList<>();
            long start = System.nanoTime();
            long nextSample = start;
            for (int i = 0; ; i++) {
                long due = start + size.broadcastInterval().toNanos() * i;
                if (due - start >= size.streamDuration().toNanos()) {
                    break;
                }
                while (System.nanoTime() < due) {
                    if (System.nanoTime() >= nextSample) {
                        samples.add(new Sample((System.nanoTime() - start) / 1_000_000_000L, executions.size(),
                                fleet.stats(Duration.ofSeconds(10))));
                        nextSample += SAMPLE_EVERY.toNanos();
                    }
                    LockSupport.parkNanos(Math.min(due - System.nanoTime(), 50_000_000L));
                }
                String name = "stream-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
                String message = JsonCodec.write(java.util.Map.of("n", i, "sentAt", System.currentTimeMillis()));
                executions.add(sfn.startExecution(r -> r.stateMachineArn(stack.stateMachineArn()).name(name)
                        .input("{\"message\":" + message + "}")).executionArn());
            }
            double streamSeconds = (System.nanoTime() - start) / 1e9;
            progress.say("%d broadcasts started in %.0f s; waiting for them to end", executions.size(), streamSeconds);

            List<Long> sequence = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (String arn : executions) {
                DescribeExecutionResponse done = awaitEnd(sfn, arn);
                if (done.status() == ExecutionStatus.SUCCEEDED) {
                    sequence.add(JsonCodec.readTree(done.output()).get("seq").asLong());
                } else {
                    failures.add(arn + ": " + done.status() + " " + done.error() + ": " + done.cause());
                }
            }
            sequence.sort(Long::compare);
            samples.add(new Sample((System.nanoTime() - start) / 1_000_000_000L, executions.size(), fleet.stats(Duration.ofSeconds(10))));
            awaitReconnects(fleet, MIN_RECONNECTS, size.lifetime().plus(RECONNECT_GRACE));
            progress.say("every broadcast ended (%d failed); asking the fleet for its verdict", failures.size());
            JsonNode result = fleet.finish(sequence, Duration.ofSeconds(60));
            return new Outcome(sequence, failures.size(), failures, result, samples, stack.gateway().counters(), streamSeconds);
        }
    }

    /**
     * Waits, up to {@code timeout}, until every client has reconnected {@code reconnects} times. The
     * gateway closes each connection {@code lifetime} after it opened, so a client whose reconnect
     * was held up (by a wave of upgrades past the local gateway's pace) gets its next one within a
     * lifetime; the verdict asked before that would count the run's premise unmet, not a delivery
     * missed. Deliveries are judged over the whole run either way.
     */
    private void awaitReconnects(NodeFleet fleet, int reconnects, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long fewest = fleet.stats(Duration.ofSeconds(10)).path("minReconnectsPerClient").asLong(0);
        while (fewest < reconnects && System.nanoTime() < deadline) {
            LockSupport.parkNanos(500_000_000L);
            fewest = fleet.stats(Duration.ofSeconds(10)).path("minReconnectsPerClient").asLong(0);
        }
        if (fewest < reconnects) {
            progress.say("a client has reconnected only %d time(s) after waiting %d s more", fewest, timeout.toSeconds());
        }
    }

    private static DescribeExecutionResponse awaitEnd(SfnClient sfn, String executionArn) {
        long deadline = System.nanoTime() + BROADCAST_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            LockSupport.parkNanos(200_000_000L);
        }
        throw new IllegalStateException("broadcast " + executionArn + " still running after " + BROADCAST_TIMEOUT.toMinutes() + " minutes");
    }
}
