package dev.wsfanout.bench;

import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.fanout.BroadcastTallies;
import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.gateway.GatewayCounters;
import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.FanoutRunner;
import dev.wsfanout.stack.LocalDeployment;
import dev.wsfanout.stack.LocalDeploymentOptions;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The chaos run (issue 11): one broadcast through the whole pipeline — StartExecution of the
 * stack's state machine through the real SfnClient — with every fault at once, checked against
 * what every client actually received. The setup (the stack, the connections, their registry
 * rows) is made without faults, so what is tested is the broadcast, not the harness.
 */
final class ChaosRun {

    /**
     * A few seconds, so a crashed invocation's batch comes back soon: the shard queues' visibility
     * timeout is 6× this (30 s), and a crash costs that much of the run. (AWS's is 20 s.) It also
     * leaves an invocation half of it to post, so under the 20% 429s many ids are handed on to
     * retry chunks untried: the run tests that path too.
     */
    static final Duration POST_MESSAGE_TIMEOUT = Duration.ofSeconds(5);
    private static final int PARALLEL_HANDSHAKES = 100;
    /** Past the state machine's own deadline: time for its recount and the last poll. */
    private static final Duration EXECUTION_GRACE = Duration.ofMinutes(1);
    /** Enough for the last crashed batch to come back (one visibility timeout) and settle. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);
    private static final long PROGRESS_MILLIS = 5_000;

    private final ChaosCommand.Invocation invocation;
    private final ChaosSize size;
    private final Progress progress;
    private final String broadcastId = "chaos-" + System.currentTimeMillis();
    private final VirtualReceipts virtualReceipts = new VirtualReceipts(broadcastId);
    private final MapReruns reruns = new MapReruns();
    private final PostMessageCrashes crashes = new PostMessageCrashes();

    ChaosRun(ChaosCommand.Invocation invocation, Progress progress) {
        this.invocation = invocation;
        this.size = invocation.size();
        this.progress = progress;
    }

    /** Runs it, prints the figures, writes the report; returns whether the guarantee held. */
    boolean run() {
        long runStart = System.currentTimeMillis();
        LocalDeploymentOptions options = LocalDeploymentOptions.builder()
                .faultProxy(true)
                .env(FanoutConfig.PARTITION_COUNT, Integer.toString(size.partitions()))
                .postMessageTimeout(POST_MESSAGE_TIMEOUT)
                .deliveryDeadline(size.deliveryDeadline())
                .faults(ChaosFaults.gateway(invocation.seed()))
                .queryHandlerDecorator(reruns::wrap)
                .deliveryCheckpoints(crashes)
                .virtualDeliveries(virtualReceipts)
                .build();
        progress.say("chaos: starting the local stack (%d partitions)", size.partitions());
        ChaosOutcome outcome;
        try (LocalDeployment stack = LocalDeployment.start(options);
             WebSocketSwarm swarm = connectSockets(stack)) {
            progress.say("chaos: %,d real sockets connected; registering %,d virtual connections", swarm.size(),
                    size.virtualConnections());
            List<String> virtualIds = stack.gateway().registerVirtualConnections(size.virtualConnections());
            long registered = registryRows(stack);
            progress.say("chaos: %,d real sockets and %,d virtual connections connected, %,d registry rows",
                    swarm.size(), virtualIds.size(), registered);
            if (swarm.size() != size.sockets() || virtualIds.size() != size.virtualConnections() || registered != size.connections()) {
                throw new IllegalStateException("the setup is incomplete: " + swarm.size() + " sockets, " + virtualIds.size()
                        + " virtual connections, " + registered + " registry rows for " + size.connections() + " connections");
            }
            long dynamoWritesBefore = ChaosFaults.writesSeen(stack.awsFaultCounters().get(0));
            long sqsWritesBefore = ChaosFaults.writesSeen(stack.awsFaultCounters().get(1));
            stack.awsFaults(ChaosFaults.aws(invocation.seed()));
            outcome = broadcast(stack, swarm, virtualIds, registered, dynamoWritesBefore, sqsWritesBefore);
        }
        ChaosReport report = new ChaosReport(invocation, outcome, (System.currentTimeMillis() - runStart) / 1000.0);
        System.out.println(report.text());
        System.out.println(report.write());
        return outcome.held();
    }

    private WebSocketSwarm connectSockets(LocalDeployment stack) {
        progress.say("chaos: connecting %,d real sockets", size.sockets());
        return WebSocketSwarm.connect(stack.gateway().webSocketUri(), size.sockets(), PARALLEL_HANDSHAKES,
                n -> progress.say("chaos: %,d sockets connected", n));
    }

    private ChaosOutcome broadcast(LocalDeployment stack, WebSocketSwarm swarm, List<String> virtualIds, long registered,
                                   long dynamoWritesBefore, long sqsWritesBefore) {
        try (WsfanoutDesign design = new WsfanoutDesign(stack);
             ConnectionChurn churn = new ConnectionChurn(stack.gateway().managementEndpoint(), invocation.seed())) {
            progress.say("chaos: faults on; StartExecution %s", broadcastId);
            long start = System.currentTimeMillis();
            CompletableFuture<String> ended = design.start(broadcastId, BroadcastBench.message("chaos"));
            churn.start(swarm.clients(), virtualIds);
            long endMillis = awaitEnd(ended, start, stack, swarm);
            churn.await();
            DescribeExecutionResponse execution = design.sfn().describeExecution(r -> r.executionArn(design.executionArn(broadcastId)));
            progress.say("chaos: execution %s %s; waiting for the shard queues to drain", execution.statusAsString(),
                    endMillis < 0 ? "at the run's deadline" : String.format("after %.1f s", (endMillis - start) / 1000.0));
            Optional<BroadcastTally> afterDrain = drain(stack);
            Map<String, Long> failedByReason = FailedDeliveries.byReason(stack.dynamo(), stack.config().deliveriesTable(), broadcastId);
            FaultCounters dynamo = stack.awsFaultCounters().get(0);
            FaultCounters sqs = stack.awsFaultCounters().get(1);
            ClientReceipts receipts = new ClientReceipts();
            long lastReceipt = virtualReceipts.lastFirstCopyMillis();
            for (WebSocketSwarm.Client socket : swarm.clients()) {
                List<Long> copies = socket.receipts(broadcastId);
                receipts.socket(churn.closed(socket), socket.isOpen(), copies.size());
                lastReceipt = Math.max(lastReceipt, copies.stream().mapToLong(Long::longValue).min().orElse(-1));
            }
            for (String id : virtualIds) {
                receipts.virtual(id, churn.ended(id), virtualReceipts.copies(id));
            }
            for (String error : churn.errors()) {
                progress.say("chaos: a DELETE failed, the connection stayed open: %s", error);
            }
            boolean succeeded = execution.status() == ExecutionStatus.SUCCEEDED;
            return new ChaosOutcome(broadcastId, registered, execution.statusAsString(),
                    succeeded ? JsonCodec.readTree(execution.output()) : null,
                    succeeded ? null : execution.error() + ": " + execution.cause(), receipts, afterDrain, failedByReason, start, endMillis,
                    lastReceipt, dynamo, sqs, ChaosFaults.writesSeen(dynamo) - dynamoWritesBefore,
                    ChaosFaults.writesSeen(sqs) - sqsWritesBefore, stack.gateway().counters(),
                    reruns, crashes, churn.closedSockets(), churn.endedVirtual());
        }
    }

    /** Waits for the execution to end, saying how far the broadcast got every few seconds; returns when it ended, or -1. */
    private long awaitEnd(CompletableFuture<String> ended, long start, LocalDeployment stack, WebSocketSwarm swarm) {
        long giveUp = start + size.deliveryDeadline().plus(EXECUTION_GRACE).toMillis();
        long nextReport = start + PROGRESS_MILLIS;
        while (!ended.isDone() && System.currentTimeMillis() < giveUp) {
            sleep(50);
            if (System.currentTimeMillis() >= nextReport) {
                nextReport += PROGRESS_MILLIS;
                GatewayCounters gateway = stack.gateway().counters();
                long reached = virtualReceipts.reached() + swarm.clients().stream().filter(c -> !c.receipts(broadcastId).isEmpty()).count();
                progress.say("chaos: %4.0f s: %,d of %,d connections reached; posts 200 %,d, 429 %,d, 5xx %,d; "
                                + "Map reruns %d, crashes %d", (System.currentTimeMillis() - start) / 1000.0, reached,
                        size.connections(), gateway.posts(200), gateway.posts(429), ChaosReport.serverErrors(gateway),
                        reruns.injected() + reruns.failedOnTheirOwn(), crashes.crashes());
            }
        }
        return ended.isDone() ? System.currentTimeMillis() : -1;
    }

    /**
     * Waits until every redelivery has run (a crashed invocation's batch comes back a visibility
     * timeout later, and must be skipped), then reads the tallies again with the faults off.
     */
    private Optional<BroadcastTally> drain(LocalDeployment stack) {
        try {
            new FanoutRunner(stack).awaitQueuesDrained(DRAIN_TIMEOUT);
        } catch (IllegalStateException notDrained) {
            progress.say("chaos: %s", notDrained.getMessage());
            return Optional.empty();
        }
        stack.awsFaults(FaultPlan.none());
        return stack.tallies().read(broadcastId).map(BroadcastTallies.Snapshot::tally);
    }

    private static long registryRows(LocalDeployment stack) {
        return stack.dynamo().scanPaginator(r -> r.tableName(stack.config().connectionsTable()).select(Select.COUNT)).stream()
                .mapToLong(ScanResponse::count).sum();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
