package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalDeploymentOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wsfanout demo}: the whole path on one machine. Starts the local stack on free ports,
 * connects real WebSocket clients, broadcasts once through StartExecution, and checks at the
 * clients that every one received it exactly once. Exit 0 only if all did.
 */
@Command(name = "demo", sortOptions = false, description = "Start the local stack, connect real WebSocket clients, "
        + "broadcast one message through the state machine, verify every client got it exactly once, and print the "
        + "audit and the latency distribution.")
public final class DemoCommand implements Callable<Integer> {

    /**
     * The local $connect function runs 64 at a time; more handshakes in flight only queue behind
     * it, and on a busy machine a queued one can outlast the client's 10 s handshake timeout.
     */
    private static final int PARALLEL_HANDSHAKES = 64;
    private static final Duration STRAGGLER_WAIT = Duration.ofSeconds(10);
    private static final String DEMO_SUBJECT = "demo-client";

    @Spec
    CommandSpec spec;

    @Option(names = "--clients", paramLabel = "N", description = "WebSocket clients to connect. Default: ${DEFAULT-VALUE}.")
    int clients = 1000;

    @Option(names = "--partitions", paramLabel = "N", description = "PARTITION_COUNT of the local deployment. Default: ${DEFAULT-VALUE} (as on AWS).")
    int partitions = 2500;

    @Option(names = "--cells", paramLabel = "N", description = "Local cells (docs/cells.md): each a whole deployment with its own "
            + "gateway and quota; the clients are spread evenly and the broadcast goes through the cross-cell state machine. "
            + "Default: ${DEFAULT-VALUE} (one deployment, no cross-cell machine).")
    int cells = 1;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        ClientLimit.require(clients, ClientLimit.openFileLimit());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgressLine progress = ProgressLine.forTerminal(err);
        if (cells < 1) {
            throw new CliException(CliException.REFUSED, "--cells must be at least 1, was " + cells);
        }
        if (cells > 1) {
            try {
                return new CellsDemo(cells, clients, partitions).run(out, progress);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CliException.FAILED;
            }
        }

        progress.show("starting the local stack (dynalite, ElasticMQ, gateway, Step Functions)...");
        try (LiveStack live = LiveStack.start(LocalDeploymentOptions.builder()
                .env(FanoutConfig.PARTITION_COUNT, Integer.toString(partitions))
                .connectTokenSecret(ConnectUrls.newSecret()).build(), 0)) {
            progress.show("local stack up; live page " + live.page().uri());
            progress.done();
            progress.show(String.format(Locale.ROOT, "connecting %,d WebSocket clients...", clients));
            // Every client passes the $connect authorizer, as on AWS, with a token the demo mints itself.
            try (WebSocketSwarm swarm = WebSocketSwarm.connect(ConnectUrls.of(live.stack(), DEMO_SUBJECT), clients,
                    PARALLEL_HANDSHAKES, n -> showConnected(progress, n))) {
                // connect() returns only once every client is connected (it throws otherwise).
                progress.show(String.format(Locale.ROOT, "connected %,d WebSocket clients to %s", clients,
                        live.stack().gateway().webSocketUri()));
                progress.done();

                ObjectNode message = JsonCodec.mapper().createObjectNode()
                        .put("text", "hello from the wsfanout demo")
                        .put("sentAt", System.currentTimeMillis());
                StartedBroadcast started = new BroadcastStarter(live.target()).start(null, message);
                progress.show("started broadcast " + started.name());
                BroadcastAudit audit = new BroadcastFollower(new AuditReader(live.target()), Duration.ofMillis(250))
                        .follow(started.executionArn(), a -> progress.show(AuditText.progress(a)));
                progress.done();
                swarm.awaitAll(started.name(), STRAGGLER_WAIT);
                return report(out, audit, swarm, started);
            }
        }
    }

    /** The swarm may report its last thousand after connect() returned; the line after it says "connected" already. */
    private void showConnected(ProgressLine progress, int connected) {
        if (connected < clients) {
            progress.show(String.format(Locale.ROOT, "connected %,d of %,d clients", connected, clients));
        }
    }

    private int report(PrintWriter out, BroadcastAudit audit, WebSocketSwarm swarm, StartedBroadcast started) {
        SwarmReceipts r = SwarmReceipts.of(swarm.clients(), started.name(), started.startedAtMillis());
        int exactlyOnce = r.exactlyOnce();
        int missing = r.missing();
        int duplicated = r.duplicated();
        List<Long> latencies = r.latencies();
        out.println(AuditText.format(audit));
        if (!latencies.isEmpty()) {
            out.println(LatencyReport.of(latencies).format());
        }
        boolean allOnce = audit.deliveredToAll() && audit.delivered() == clients && exactlyOnce == clients;
        out.println(String.format(Locale.ROOT, "%s: delivered = %d of %d clients, exactly once = %d, missing = %d, "
                        + "duplicated = %d, gone = %d, failed = %d", allOnce ? "OK" : "FAILED", audit.delivered(), clients,
                exactlyOnce, missing, duplicated, audit.gone(), audit.failed()));
        out.flush();
        return allOnce ? 0 : CliException.FAILED;
    }
}
