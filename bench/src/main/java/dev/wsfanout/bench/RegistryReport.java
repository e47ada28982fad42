package dev.wsfanout.bench;

import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.faults.FaultKind;
import dev.wsfanout.local.gateway.GatewayCounters;
import dev.wsfanout.registry.StaleConnectionSweeper;
import dev.wsfanout.stack.LocalCensus;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The registry soak's figures, one table for the terminal, the four that must be 0 in bold. */
final class RegistryReport {

    private static final List<String> HEADER = List.of("", "figure");
    private static final List<String> BROADCAST_HEADER = List.of("broadcast", "execution", "start to end", "queued (connections)",
            "delivered", "gone", "failed", "retried", "delivered + gone + failed = queued");

    private final RegistrySize size;
    private final long seed;
    private final RegistryOutcome outcome;
    private final double runSeconds;

    RegistryReport(RegistrySize size, long seed, RegistryOutcome outcome, double runSeconds) {
        this.size = size;
        this.seed = seed;
        this.outcome = outcome;
        this.runSeconds = runSeconds;
    }

    String text() {
        return MarkdownReport.tableText(HEADER, rows()) + "\n" + MarkdownReport.tableText(BROADCAST_HEADER, broadcastRows())
                + "\n" + verdict();
    }

    private List<List<String>> rows() {
        RegistryOutcome o = outcome;
        ChurnTally c = o.churn();
        GatewayCounters g = o.gateway();
        GatewayCounters g0 = o.gatewayBefore();
        LocalCensus after = o.afterSweep();
        MissedBroadcasts m = o.missed();
        StableFleet.Status st = o.stableStatus();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("run", "size " + size.name() + ", seed " + seed + ", " + size.partitions() + " partitions, $connect timeout "
                + RegistrySoak.CONNECT_TIMEOUT.toSeconds() + " s, " + Format.percent(RegistrySoak.DROPPED_DISCONNECTS)
                + " of $disconnects dropped"));
        rows.add(List.of("clients", Format.count(o.stableClients()) + " stable (open throughout) + "
                + Format.count(size.churnSlots()) + " churning at once (" + size.churnProcesses() + " JVMs × "
                + Format.count(size.churnSlotsEach()) + ", stays " + size.minStay().toSeconds() + "–" + size.maxStay().toSeconds()
                + " s), churn for " + Format.seconds(o.churnSeconds())));
        rows.add(List.of("stable clients' keep-alives", Format.count(st.keepAlivesSent()) + " messages to $default, one per client every "
                + RegistrySoak.KEEP_ALIVE.toMinutes() + " min (gateway received " + Format.count(g.messagesReceived()) + "); "
                + Format.count(st.open()) + " open at the end, " + Format.count(st.closed()) + " closed"
                + (st.closed() == 0 ? "" : " (close status: count " + st.closeStatuses() + ")")));
        rows.add(List.of("**churn: upgrade requests**", "**" + Format.count(c.attempts()) + "** ("
                + Format.rate(c.attempts() / o.churnSeconds()) + "): " + Format.count(c.accepted()) + " connects accepted, "
                + Format.count(c.refused502()) + " refused 502, " + Format.count(c.refusedOther()) + " refused otherwise, "
                + Format.count(c.gaveUp()) + " given up by the client after 30 s without an answer, " + Format.count(c.errors())
                + " client errors, " + Format.count(c.abandoned()) + " handshakes abandoned"));
        rows.add(List.of("churn: leaves", Format.count(c.clean()) + " clean closes (close frame), " + Format.count(c.abrupt())
                + " abrupt closes (TCP abort), " + Format.count(c.closedAtStop()) + " closed at the stop"));
        rows.add(List.of("$connects refused, by cause (gateway)", Format.count(o.injectedConnectTimeouts())
                + " injected $connect timeouts (row's PutItem held " + RegistryFaults.CONNECT_HOLD.toSeconds() + " s), "
                + Format.count(o.overloadTimeouts()) + " timed out beyond those (overload), " + Format.count(o.otherRefusals())
                + " failed otherwise; by error type: " + (o.refusedByType().isEmpty() ? "none" : o.refusedByType().toString())));
        rows.add(List.of("gateway, during the churn and after", Format.count(g.connectsAccepted() - g0.connectsAccepted())
                + " connects accepted, " + Format.count(g.connectsRejected() - g0.connectsRejected()) + " refused; "
                + Format.count(g.disconnects() - g0.disconnects()) + " $disconnects, "
                + Format.count(g.disconnectRetries() - g0.disconnectRetries()) + " retried, "
                + Format.count(g.disconnectsDropped() - g0.disconnectsDropped()) + " dropped, "
                + Format.count(g.routeErrors() - g0.routeErrors()) + " given up"));
        rows.add(List.of("faults: DynamoDB lifecycle writes (" + RegistryFaults.describe() + ")", injected(o.dynamoFaults())));
        rows.add(List.of("broadcasts during the churn", Format.count(o.broadcasts().size()) + " started, every "
                + size.broadcastInterval().toSeconds() + " s; " + broadcastSummary()));
        rows.add(List.of("census before the sweep", o.beforeSweep().toString()));
        rows.add(List.of("the sweep", sweep(o.sweep())));
        rows.add(List.of("census after the sweep", after.toString()));
        rows.add(List.of("**rows without a socket** (must be 0)", bold(after.rowsWithoutSocket())));
        rows.add(List.of("**sockets without a row** (must be 0)", bold(after.socketsWithoutRow())));
        rows.add(List.of("**partition count drift** (must be 0)", bold(after.registry().partitionsDrifted()) + " partitions, total |drift| "
                + Format.count(after.registry().countDrift())));
        rows.add(List.of("**clients connected throughout that missed a broadcast** (must be 0)", bold(m.clientsWithMiss())
                + " of " + Format.count(m.open()) + " (" + Format.count(m.missedPairs()) + " client × broadcast pairs missed, over "
                + (o.broadcasts().size() - o.stillRunning()) + " ended broadcasts)"
                + (m.closed() == 0 ? "" : "; " + m.closed() + " stable clients closed on their own")));
        rows.add(List.of("whole run (stack start to figures)", Format.seconds(runSeconds)));
        return rows;
    }

    private String broadcastSummary() {
        RegistryOutcome o = outcome;
        long running = o.stillRunning();
        long succeeded = o.broadcasts().stream().filter(SoakBroadcasts.End::succeeded).count();
        double slowest = o.broadcasts().stream().mapToDouble(SoakBroadcasts.End::seconds).max().orElse(0);
        return succeeded + " succeeded, " + o.endedOtherwise().size() + " ended otherwise, " + running + " still running at the "
                + RegistrySoak.BROADCAST_DEADLINE.toSeconds() + " s deadline; all ended " + Format.seconds(o.broadcastsEndedAfter())
                + " after the churn stopped" + (running == 0 ? "" : " (deadline)") + "; slowest " + Format.seconds(slowest);
    }

    private List<List<String>> broadcastRows() {
        List<List<String>> rows = new ArrayList<>();
        for (SoakBroadcasts.End e : outcome.broadcasts()) {
            rows.add(List.of(e.id().substring(e.id().lastIndexOf('-') + 1), e.status() + (e.error() == null ? "" : " (" + e.error() + ")"),
                    Format.seconds(e.seconds()), audit(e, "connections"), audit(e, "delivered"), audit(e, "gone"), audit(e, "failed"),
                    audit(e, "retried"), e.output() == null ? "–" : e.auditExact() ? "yes" : "NO"));
        }
        return rows;
    }

    private static String audit(SoakBroadcasts.End e, String field) {
        long n = e.audit(field);
        return n < 0 ? "–" : Format.count(n);
    }

    private String verdict() {
        List<String> failures = outcome.failures();
        return failures.isEmpty()
                ? "OK: every broadcast execution ended, and after one sweep the registry matches the gateway exactly, and every client "
                + "connected throughout received every broadcast."
                : "FAILED: " + String.join("; ", failures) + ".";
    }

    private static String injected(FaultCounters dynamo) {
        return Stream.of(FaultKind.values()).filter(k -> dynamo.injected(k) > 0)
                .map(k -> Format.count(dynamo.injected(k)) + " " + k.jsonName()).collect(Collectors.joining(", "))
                + " (of " + Format.count(dynamo.seen()) + " DynamoDB requests)";
    }

    private static String sweep(StaleConnectionSweeper.SweepReport s) {
        return Format.count(s.probed()) + " rows probed, " + Format.count(s.goneRemoved()) + " removed as gone (410), "
                + Format.count(s.expiredRemoved()) + " expired, " + Format.count(s.probesInconclusive()) + " inconclusive; "
                + s.partitionsRepaired() + " of " + s.partitionsChecked() + " partitions repaired, " + s.partitionsBusy()
                + " busy; " + Format.count(s.rows()) + " rows left";
    }

    private static String bold(long n) {
        return "**" + Format.count(n) + "**";
    }
}
