package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The cross-cell broadcast's audit (statemachine/cells.asl.json's output, or a failed execution's
 * cause) for a terminal: one line per cell and the total, and the rerun's input when a cell failed.
 */
public final class CrossCellAuditText {

    private CrossCellAuditText() {
    }

    public static String format(JsonNode audit) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "cross-cell broadcast %s, seq %d%n", audit.path("broadcastId").asText(), audit.path("seq").asLong()));
        for (JsonNode cell : audit.path("cells")) {
            JsonNode a = cell.path("audit");
            if (cell.path("status").asText().equals("SUCCEEDED")) {
                text.append(String.format(Locale.ROOT, "  %-24s delivered %,d of %,d (gone %,d, failed %,d) in %s%n", cell.path("cell").asText(),
                        a.path("delivered").asLong(), a.path("connections").asLong(), a.path("gone").asLong(), a.path("failed").asLong(),
                        elapsed(a)));
            } else {
                text.append(String.format(Locale.ROOT, "  %-24s %s: %s: %s%n", cell.path("cell").asText(), cell.path("status").asText(),
                        cell.path("error").asText(""), cell.path("cause").asText("")));
            }
        }
        JsonNode total = audit.path("total");
        text.append(String.format(Locale.ROOT, "  %-24s %d of %d cells delivered; %,d of %,d connections (gone %,d, failed %,d)%n", "total",
                total.path("succeeded").asInt(), total.path("cells").asInt(), total.path("delivered").asLong(),
                total.path("connections").asLong(), total.path("gone").asLong(), total.path("failed").asLong()));
        if (audit.has("rerun")) {
            text.append("  rerun the failed cells alone: start the cross-cell machine with the same message and ")
                    .append(audit.get("rerun")).append(String.format("%n"));
        }
        return text.toString();
    }

    private static String elapsed(JsonNode cellAudit) {
        try {
            return AuditText.seconds(Duration.between(Instant.parse(cellAudit.path("startedAt").asText()),
                    Instant.parse(cellAudit.path("finishedAt").asText())).toMillis());
        } catch (DateTimeParseException e) {
            return "?";
        }
    }
}
