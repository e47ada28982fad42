package dev.wsfanout.bench;

import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.faults.FaultKind;
import dev.wsfanout.local.gateway.GatewayCounters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The chaos run's figures: one table, printed as it is and written into report.md with how it was made. */
final class ChaosReport {

    private static final List<String> HEADER = List.of("", "figure");

    private final ChaosCommand.Invocation invocation;
    private final ChaosOutcome outcome;
    private final double runSeconds;

    ChaosReport(ChaosCommand.Invocation invocation, ChaosOutcome outcome, double runSeconds) {
        this.invocation = invocation;
        this.outcome = outcome;
        this.runSeconds = runSeconds;
    }

    /** Posts answered with any 5xx. */
    static long serverErrors(GatewayCounters gateway) {
        long n = 0;
        for (int status = 500; status <= 599; status++) {
            n += gateway.posts(status);
        }
        return n;
    }

    /** The table and the verdict, for the terminal. */
    String text() {
        return MarkdownReport.tableText(HEADER, rows()) + "\n" + verdict();
    }

    /** Writes report.md into the run's folder and returns it. */
    Path write() {
        ChaosSize size = invocation.size();
        MarkdownReport report = new MarkdownReport(invocation.out().resolve(BenchmarkRun.REPORT_FILE));
        report.heading(1, "wsfanout chaos run, size " + size.name() + ", " + Instant.ofEpochMilli(outcome.startMillis()));
        report.paragraph("Command (from the repository root):");
        report.code(invocation.command());
        report.paragraph("Source: %s. Machine at the end:", MachineDescription.sourceVersion());
        report.code(MachineDescription.describe());
        report.paragraph("One broadcast (`%s`) through the whole pipeline: `StartExecution` of the stack's state machine "
                        + "(`statemachine/broadcast.asl.json`, %,d partitions) through the AWS SDK `SfnClient`, to %,d connections "
                        + "registered by the real `$connect` handler: %,d real WebSocket sockets (one in-process `WebSocketSwarm`) "
                        + "and %,d virtual connections (their receipts reported by the gateway, `VirtualDeliveryListener`). The "
                        + "setup is fault-free; from the `StartExecution` on, all at once: %s and %s on every DynamoDB write "
                        + "(PutItem, UpdateItem, DeleteItem, BatchWriteItem: registry, plan, markers, tallies, the state "
                        + "machine's own writes) and every SQS send, by the fault proxy; %s of posts answered 429 and %s 500 by "
                        + "the gateway; every tenth Map batch failed once after its chunks were queued (`SdkClientException`, "
                        + "rerun by the Map's Retry); a postMessage invocation crashed after each of the settlement steps %s in "
                        + "turn (the 3rd, 8th, 13th and 18th chunk claimed, then every 500th); %s of the real sockets closed by "
                        + "their clients and %s of the virtual connections ended by `DELETE @connections` over the first 1.5 s. "
                        + "Seed %d. postMessage timeout %d s (visibility timeout 6×).",
                outcome.broadcastId(), size.partitions(), size.connections(), size.sockets(), size.virtualConnections(),
                Format.percent(ChaosFaults.RESPONSE_LOST) + " lost responses", Format.percent(ChaosFaults.THROTTLE) + " throttles",
                Format.percent(ChaosFaults.GATEWAY_THROTTLE), Format.percent(ChaosFaults.GATEWAY_SERVER_ERROR),
                PostMessageCrashes.STEPS, Format.percent(ConnectionChurn.FRACTION), Format.percent(ConnectionChurn.FRACTION),
                invocation.seed(), ChaosRun.POST_MESSAGE_TIMEOUT.toSeconds());
        report.table(HEADER, rows());
        report.paragraph("%s", verdict());
        if (!outcome.receipts().missedVirtualIds().isEmpty()) {
            report.paragraph("Missed virtual connections (first %d): %s", outcome.receipts().missedVirtualIds().size(),
                    String.join(", ", outcome.receipts().missedVirtualIds()));
        }
        report.paragraph("\"Open throughout\" = not closed by the run and still open at the end. Connections the run closed "
                + "are promised no copy: one that closed before its partition was read is not in the plan; one in the plan is "
                + "counted once (`gone` if its post found it closed). Extra copies are "
                + "counted over every connection. The ledger is read again once every shard queue is empty, so a crashed "
                + "invocation's batch has come back and been skipped.");
        report.save();
        return report.file();
    }

    private List<List<String>> rows() {
        ChaosOutcome o = outcome;
        ClientReceipts r = o.receipts();
        ChaosSize size = invocation.size();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("connections before the broadcast", Format.count(o.registered()) + " registry rows: "
                + Format.count(size.sockets()) + " real sockets, " + Format.count(size.virtualConnections()) + " virtual"));
        rows.add(List.of("faults: DynamoDB (fault proxy)", proxy(o.dynamo(), o.dynamoWrites())));
        rows.add(List.of("faults: SQS (fault proxy)", proxy(o.sqs(), o.sqsWrites())));
        rows.add(List.of("faults: gateway posts", Format.count(o.gateway().posts(429)) + " × 429, "
                + Format.count(serverErrors(o.gateway())) + " × 5xx, of " + Format.count(o.gateway().postsTotal()) + " posts"));
        rows.add(List.of("faults: Map reruns", Format.count(o.reruns().injected()) + " forced + "
                + Format.count(o.reruns().failedOnTheirOwn()) + " after a fault; " + Format.count(o.reruns().attempts())
                + " query attempts for " + Format.count(o.reruns().batches()) + " batches"));
        rows.add(List.of("faults: postMessage crashes", PostMessageCrashes.STEPS.stream()
                .map(step -> step + " " + o.crashes().crashes(step)).collect(Collectors.joining(", "))
                + " (of " + Format.count(o.crashes().claims()) + " chunk claims)"));
        rows.add(List.of("connections closed during the broadcast", "real " + Format.count(o.socketsClosed()) + " of "
                + Format.count(size.sockets()) + ", virtual " + Format.count(o.virtualEnded()) + " of "
                + Format.count(size.virtualConnections())));
        rows.add(List.of("execution", o.status() + (o.error() == null ? "" : ": " + o.error())));
        rows.add(List.of("audit (execution output)", o.output() == null ? "none" : "connections " + count(o.audit("connections"))
                + ", delivered " + count(o.audit("delivered")) + ", gone " + count(o.audit("gone")) + ", failed "
                + count(o.audit("failed")) + ", retried " + count(o.audit("retried"))));
        rows.add(List.of("**clients missed** (open throughout, no copy; must be 0)", "**" + Format.count(r.missed()) + "** of "
                + Format.count(r.openThroughout()) + " open throughout (real " + r.missedSockets() + ", virtual "
                + r.missedVirtual() + ")" + (r.closedOnTheirOwn() == 0 ? "" : "; " + r.closedOnTheirOwn()
                + " real sockets closed on their own")));
        rows.add(List.of("duplicates", Format.count(r.extraCopies()) + " extra copies; at most " + r.maxCopies()
                + " copies to one connection"));
        rows.add(List.of("**audit exact** (delivered + gone + failed = connections; must be yes)", o.output() == null ? "no output"
                : "**" + (o.auditExact() ? "yes" : "NO") + "**: " + count(o.settled()) + " = " + count(o.audit("connections"))));
        rows.add(List.of("delivered vs connections reached", "delivered " + count(o.audit("delivered")) + ", reached (≥ 1 copy) "
                + Format.count(r.reached()) + " (" + Format.count(r.reachedThenEnded()) + " of them closed later)"));
        rows.add(List.of("failed, by the reason on their chunk's marker", o.failedByReason().isEmpty() ? "none"
                : o.failedByReason().entrySet().stream().map(e -> Format.count(e.getValue()) + " × " + e.getKey())
                .collect(Collectors.joining("; "))));
        rows.add(List.of("ledger once the queues drained", o.afterDrain().isEmpty() ? "queues did not drain"
                : o.stableAfterDrain() ? "unchanged" : "CHANGED: " + o.afterDrain().get()));
        rows.add(List.of("StartExecution → execution end", seconds(o.secondsToEnd())));
        rows.add(List.of("StartExecution → last receipt", seconds(o.secondsToLastReceipt())));
        rows.add(List.of("whole run (stack start to report)", Format.seconds(runSeconds)));
        return rows;
    }

    private String verdict() {
        List<String> failures = outcome.failures();
        if (failures.isEmpty()) {
            return "OK: the guarantee held: every connection open throughout received the broadcast, and the audit is exact.";
        }
        return "FAILED: " + String.join("; ", failures) + ".";
    }

    private static String proxy(FaultCounters counters, long writes) {
        return Format.count(counters.injected(FaultKind.THROTTLE)) + " throttles, "
                + Format.count(counters.injected(FaultKind.RESPONSE_LOST)) + " lost responses, of "
                + Format.count(writes) + " writes";
    }

    private static String count(long n) {
        return n < 0 ? "n/a" : Format.count(n);
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "did not end" : Format.seconds(s);
    }
}
