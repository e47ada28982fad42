package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The reconnect run's figures and its stream over time, as tables for the terminal. */
final class ReconnectReport {

    private static final List<String> HEADER = List.of("", "figure");
    private static final List<String> OVER_TIME = List.of("second", "broadcasts started", "clients open", "reconnects",
            "delivered", "replayed", "duplicates dropped");

    private final ReconnectSize size;
    private final ReconnectRun.Outcome outcome;
    private final double runSeconds;

    ReconnectReport(ReconnectSize size, ReconnectRun.Outcome outcome, double runSeconds) {
        this.size = size;
        this.outcome = outcome;
        this.runSeconds = runSeconds;
    }

    String text() {
        return MarkdownReport.tableText(HEADER, rows()) + "\n" + MarkdownReport.tableText(OVER_TIME, overTime()) + "\n" + verdict();
    }

    private List<List<String>> rows() {
        JsonNode r = outcome.result();
        List<Long> seq = outcome.sequence();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("size", size.name() + ": " + size.clients() + " clients, lifetime " + size.lifetime().toSeconds()
                + " s, a broadcast every " + size.broadcastInterval().toSeconds() + " s, " + size.partitions() + " partitions"));
        rows.add(List.of("broadcasts", outcome.sequence().size() + " succeeded" + (seq.isEmpty() ? "" : ", seq " + seq.get(0)
                + ".." + seq.get(seq.size() - 1)) + "; " + outcome.broadcastsFailed() + " failed"));
        rows.add(List.of("**clients with every broadcast exactly once, in order**", r.path("complete").asInt() + " of " + r.path("clients").asInt()));
        rows.add(List.of("**deliveries missing**", Long.toString(r.path("missingDeliveries").asLong())));
        rows.add(List.of("**deliveries extra (a copy or an unknown seq)**", Long.toString(r.path("extraDeliveries").asLong())));
        rows.add(List.of("**clients out of order**", Long.toString(r.path("outOfOrder").asLong())));
        rows.add(List.of("**gaps reported**", Long.toString(r.path("gaps").asLong())));
        rows.add(List.of("reconnects", r.path("reconnects").asLong() + " (per client " + r.path("minReconnectsPerClient").asLong()
                + ".." + r.path("maxReconnectsPerClient").asLong() + ")"));
        rows.add(List.of("resumes sent / answered", r.path("resumesSent").asLong() + " / " + r.path("resumedReceived").asLong()));
        rows.add(List.of("broadcasts received through a replay", r.path("replayedReceived").asLong() + " (by "
                + r.path("clientsThatReplayed").asLong() + " clients)"));
        rows.add(List.of("duplicates dropped by the library", Long.toString(r.path("duplicatesDropped").asLong())));
        rows.add(List.of("gateway: upgrades accepted / refused at 500/s", outcome.gateway().connectsAccepted() + " / "
                + outcome.gateway().connectsThrottled()));
        rows.add(List.of("stream / whole run", String.format("%.0f s / %.0f s", outcome.streamSeconds(), runSeconds)));
        return rows;
    }

    private List<List<String>> overTime() {
        List<List<String>> rows = new ArrayList<>();
        for (ReconnectRun.Sample s : outcome.samples()) {
            JsonNode f = s.fleet();
            rows.add(List.of(Long.toString(s.second()), Long.toString(s.broadcastsStarted()), f.path("open").asText(""),
                    f.path("reconnects").asText(""), f.path("delivered").asText(""), f.path("replayedReceived").asText(""),
                    f.path("duplicatesDropped").asText("")));
        }
        return rows;
    }

    private String verdict() {
        StringBuilder text = new StringBuilder();
        if (outcome.held()) {
            text.append("HELD: every client delivered every broadcast exactly once and in order, across at least two reconnects each.\n");
        } else {
            text.append("NOT HELD.\n");
            outcome.failures().forEach(f -> text.append("  failed broadcast: ").append(f).append('\n'));
            JsonNode examples = outcome.result().path("examples");
            if (examples.isArray()) {
                examples.forEach(e -> text.append("  example: ").append(e).append('\n'));
            }
        }
        return text.toString();
    }
}
