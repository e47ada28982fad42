package dev.wsfanout.cli;

import java.util.Locale;

/** The human form of a {@link BroadcastAudit}, and the one-line progress of a running broadcast. */
public final class AuditText {

    private AuditText() {
    }

    public static String format(BroadcastAudit a) {
        StringBuilder out = new StringBuilder();
        line(out, "broadcast", a.broadcastId() + "  " + a.status());
        line(out, "execution", a.executionArn());
        line(out, "started", a.startDate() + " by " + a.startedBy());
        line(out, "message", a.messageBytes() + " bytes");
        line(out, "partitions", Long.toString(a.partitions()));
        line(out, "connections", Long.toString(a.connections()));
        line(out, "delivered", a.delivered() + "   gone " + a.gone() + "   failed " + a.failed() + "   retried " + a.retried());
        line(out, "duration", seconds(a.durationMillis()) + (a.running() ? " so far" : ""));
        line(out, "first/last", "first delivery after " + optionalSeconds(a.firstDeliveryMillis())
                + ", last after " + optionalSeconds(a.lastDeliveryMillis()));
        if (a.mapRun() != null) {
            BroadcastAudit.MapRunCounts m = a.mapRun();
            line(out, "map run", m.status() + ": items " + m.itemsSucceeded() + "/" + m.itemsTotal() + " succeeded, "
                    + m.itemsFailed() + " failed; child executions " + m.childExecutionsSucceeded() + "/"
                    + m.childExecutionsTotal() + " succeeded, " + m.childExecutionsFailed() + " failed");
        }
        if (a.error() != null) {
            line(out, "error", a.error() + ": " + a.cause());
        }
        return out.toString();
    }

    /**
     * e.g. {@code RUNNING 2.40 s  partitions 120/2500  queued -  delivered 650  gone 0  failed 0}; the
     * queued count is recorded just after the Map has finished, so until then it shows "-".
     */
    public static String progress(BroadcastAudit a) {
        BroadcastAudit.MapRunCounts map = a.mapRun();
        String partitions = map == null ? "-" : map.itemsSucceeded() + "/" + map.itemsTotal();
        boolean recorded = a.connections() > 0 || a.delivered() + a.gone() + a.failed() == 0;
        boolean queuedKnown = map != null && !"RUNNING".equals(map.status()) && recorded;
        return a.status() + " " + seconds(a.durationMillis()) + "  partitions " + partitions
                + "  queued " + (queuedKnown ? Long.toString(a.connections()) : "-")
                + "  delivered " + a.delivered() + "  gone " + a.gone() + "  failed " + a.failed();
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    private static String optionalSeconds(Long millis) {
        return millis == null ? "n/a" : seconds(millis);
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-12s %s%n", label, value));
    }
}
