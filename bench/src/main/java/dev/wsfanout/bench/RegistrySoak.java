package dev.wsfanout.bench;

import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.gateway.GatewayCounters;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.registry.ConnectionRegistry;
import dev.wsfanout.registry.StaleConnectionSweeper;
import dev.wsfanout.stack.LocalCensus;
import dev.wsfanout.stack.LocalDeployment;
import dev.wsfanout.stack.LocalDeploymentOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The registry soak: real clients churning against the local stack (connects, clean and abrupt
 * closes, abandoned handshakes, $connects past their timeout) with DynamoDB faults on every
 * lifecycle write and broadcasts running throughout; then, once it has settled, one sweep, and the
 * registry held against the gateway's open connections. The stable clients, connected first and
 * without faults, are the ones every broadcast must reach.
 */
final class RegistrySoak {

    /**
     * The $connect function's timeout, as the CDK app deploys it (10 s): long enough that the 2
     * loaded cores do not refuse connects on their own. The injected $connect timeouts are the
     * row's PutItem held past it ({@link RegistryFaults#CONNECT_HOLD}).
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The $disconnects the gateway never delivers, as API Gateway's are best-effort: rows only the sweep removes. */
    static final double DROPPED_DISCONNECTS = 0.02;
    static final Duration SWEEP_SETTLE = Duration.ofSeconds(2);
    /** How often each stable client sends its keep-alive message: well inside API Gateway's 10-minute idle timeout. */
    static final Duration KEEP_ALIVE = Duration.ofMinutes(4);
    /**
     * How long after the churn stopped every broadcast execution must have ended; one still
     * running then fails the run (its copies are not counted as missed or received).
     */
    static final Duration BROADCAST_DEADLINE = Duration.ofMinutes(4);
    /**
     * As the chaos run's, so a chunk sent back to SQS (a crash, or a post that outlasts the
     * function) comes back within 30 s, its visibility timeout, not minutes.
     */
    private static final Duration POST_MESSAGE_TIMEOUT = ChaosRun.POST_MESSAGE_TIMEOUT;
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    private static final Duration BROADCAST_PROGRESS = Duration.ofSeconds(10);
    /** How long the gateway's lifecycle counters must stand still to call the $disconnects done. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final Duration QUIET_WAIT = Duration.ofMinutes(2);
    /** Every execution has ended by then: only the last frames can still be on their way. */
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 200;
    /** Handshakes in flight per stable client JVM, while the stack is cold and without faults. */
    private static final int STABLE_HANDSHAKES = 16;
    /**
     * Netty's warnings for every SDK call a timed-out $connect cancels, quieted. Held here, as
     * java.util.logging keeps loggers only weakly. (The gateway's, one per failed $connect, are
     * counted by cause: {@link ConnectRefusals}.)
     */
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("io.netty.channel.DefaultChannelPipeline"));

    private final RegistrySize size;
    private final long seed;
    private final Progress progress;

    RegistrySoak(RegistrySize size, long seed, Progress progress) {
        this.size = size;
        this.seed = seed;
        this.progress = progress;
    }

    RegistryOutcome run() {
        QUIETED.forEach(log -> log.setLevel(Level.SEVERE));
        ConnectRefusals refusals = ConnectRefusals.install();
        LocalDeploymentOptions options = LocalDeploymentOptions.builder()
                .faultProxy(true)
                .env(FanoutConfig.PARTITION_COUNT, Integer.toString(size.partitions()))
                .connectTimeout(CONNECT_TIMEOUT)
                .droppedDisconnects(DROPPED_DISCONNECTS)
                .postMessageTimeout(POST_MESSAGE_TIMEOUT)
                .build();
        progress.say("registry: starting the local stack (%d partitions)", size.partitions());
        try (LocalDeployment stack = LocalDeployment.start(options);
             StableFleet stable = StableFleet.connect(stack.gateway().webSocketUri(), size.stableClients(), size.stablePerProcess(),
                     STABLE_HANDSHAKES, KEEP_ALIVE, seed, progress);
             WsfanoutDesign design = new WsfanoutDesign(stack)) {
            // A client JVM that started over leaves rows of its first sockets whose $disconnect was dropped: the sweep's work too.
            LocalCensus setup = stack.census();
            if (setup.open() != size.stableClients() || setup.socketsWithoutRow() != 0 || setup.registry().partitionsDrifted() != 0) {
                throw new IllegalStateException("the setup is not exact before any fault: " + setup);
            }
            progress.say("registry: %,d stable clients connected (%s); faults on (%s), %,d churning clients", stable.size(), setup,
                    RegistryFaults.describe(), size.churnSlots());
            SoakBroadcasts broadcasts = new SoakBroadcasts(design.sfn(), stack.stateMachineArn());
            GatewayCounters gatewayBefore = stack.gateway().counters();
            Map<String, Long> refusedBefore = refusals.snapshot();
            stack.awsFaults(RegistryFaults.plan(seed, stack.config()));
            long churnStart = System.currentTimeMillis();
            ChurnTally churn;
            try (ChurnFleet churners = ChurnFleet.start(stack.gateway().webSocketUri(), size.churnProcesses(), size.churnSlotsEach(),
                    seed, size.minStay(), size.maxStay())) {
                churnWithBroadcasts(stack, broadcasts, churnStart);
                progress.say("registry: stopping the churn; every churning client closes");
                churn = churners.stop();
            }
            stack.awsFaults(FaultPlan.none());
            long churnStopped = System.currentTimeMillis();
            FaultCounters dynamoFaults = stack.awsFaultCounters().get(0);
            long injectedConnectTimeouts = dynamoFaults.injected(RegistryFaults.connectTimeoutRule(stack.config()));
            progress.say("registry: churn stopped after %.0f s, faults off; waiting up to %d s for %d broadcast executions to end",
                    (churnStopped - churnStart) / 1000.0, BROADCAST_DEADLINE.toSeconds(), broadcasts.count());
            List<SoakBroadcasts.End> ends = broadcasts.awaitEnd(BROADCAST_DEADLINE, BROADCAST_PROGRESS, progress);
            double broadcastsEndedAfter = (System.currentTimeMillis() - churnStopped) / 1000.0;
            progress.say("registry: %d of %d executions ended (%.0f s after the churn); waiting for the $disconnects",
                    ends.stream().filter(e -> !e.running()).count(), ends.size(), broadcastsEndedAfter);
            awaitDisconnects(stack, stable.size());
            awaitRowsProbeable(churnStopped);
            LocalCensus before = stack.census();
            progress.say("registry: census before the sweep: %s", before);
            StaleConnectionSweeper.SweepReport sweep = stack.sweeper(SWEEP_SETTLE).sweep();
            LocalCensus after = stack.census();
            progress.say("registry: census after the sweep: %s", after);
            // Only broadcasts whose execution ended are checked: one still running fails the run on its own.
            List<String> ended = ends.stream().filter(e -> !e.running()).map(SoakBroadcasts.End::id).toList();
            MissedBroadcasts missed = stable.missed(ended, RECEIPT_WAIT);
            StableFleet.Status stableStatus = stable.status();
            return new RegistryOutcome(stable.size(), stableStatus, churn, ConnectRefusals.since(refusedBefore, refusals.snapshot()),
                    injectedConnectTimeouts, ends, broadcastsEndedAfter, missed, gatewayBefore, stack.gateway().counters(),
                    dynamoFaults, before, sweep, after, (churnStopped - churnStart) / 1000.0);
        }
    }

    /** Starts a broadcast every interval until the churn's time is up, saying how far it got every few seconds. */
    private void churnWithBroadcasts(LocalDeployment stack, SoakBroadcasts broadcasts, long churnStart) {
        long end = churnStart + size.churnDuration().toMillis();
        long nextBroadcast = churnStart;
        long nextProgress = churnStart + PROGRESS_INTERVAL.toMillis();
        while (true) {
            long now = System.currentTimeMillis();
            if (now >= end) {
                return;
            }
            if (now >= nextBroadcast) {
                broadcasts.startNext();
                nextBroadcast += size.broadcastInterval().toMillis();
            }
            if (now >= nextProgress) {
                GatewayCounters g = stack.gateway().counters();
                progress.say("registry: %4.0f s: %,d clients open, %,d connects accepted, %,d refused; broadcasts %d ended of %d",
                        (now - churnStart) / 1000.0, g.realConnectionsOpen(), g.connectsAccepted(), g.connectsRejected(),
                        broadcasts.poll(), broadcasts.count());
                nextProgress += PROGRESS_INTERVAL.toMillis();
            }
            sleepUntil(Math.min(end, Math.min(nextBroadcast, nextProgress)));
        }
    }

    /**
     * Waits until only the stable clients are open and the gateway's $disconnect counters have
     * stood still for {@link #QUIET}: every $disconnect delivered, retried or dropped.
     */
    private void awaitDisconnects(LocalDeployment stack, int stableClients) {
        long giveUp = System.currentTimeMillis() + QUIET_WAIT.toMillis();
        List<Long> last = List.of();
        long stillSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < giveUp) {
            GatewayCounters g = stack.gateway().counters();
            List<Long> now = List.of(g.realConnectionsOpen(), g.disconnects(), g.disconnectRetries(), g.disconnectsDropped(), g.routeErrors());
            if (!now.equals(last)) {
                last = now;
                stillSince = System.currentTimeMillis();
            } else if (g.realConnectionsOpen() == stableClients && System.currentTimeMillis() - stillSince >= QUIET.toMillis()) {
                return;
            }
            sleepUntil(System.currentTimeMillis() + POLL_MILLIS);
        }
        progress.say("registry: the gateway did not settle within %d s: %s", QUIET_WAIT.toSeconds(), stack.gateway().counters());
    }

    /**
     * The sweep probes only rows older than the connecting grace, and a $connect may write until its
     * timeout: every row of the churn is old enough once both have passed since the last connect.
     */
    private void awaitRowsProbeable(long churnStopped) {
        long probeable = churnStopped + ConnectionRegistry.CONNECTING_GRACE.plus(CONNECT_TIMEOUT).plusSeconds(1).toMillis();
        if (System.currentTimeMillis() < probeable) {
            progress.say("registry: waiting %.0f s for the last rows to be old enough to probe",
                    (probeable - System.currentTimeMillis()) / 1000.0);
            sleepUntil(probeable);
        }
    }

    private static void sleepUntil(long epochMillis) {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait <= 0) {
            return;
        }
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
