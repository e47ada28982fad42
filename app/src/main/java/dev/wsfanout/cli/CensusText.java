package dev.wsfanout.cli;

import dev.wsfanout.registry.RegistryCensus;
import dev.wsfanout.stack.LocalCensus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What {@code wsfanout census} prints: one figure a line, thousands separated, the figures aligned. */
final class CensusText {

    /**
     * What {@code --probe} found.
     *
     * @param probed       rows GetConnection was asked about
     * @param tooYoung     rows younger than the grace, not asked (a $connect may still be running)
     * @param gone         rows it answered 410 for: no open connection
     * @param inconclusive throttled, an error or no answer
     */
    record Probed(long probed, long tooYoung, long gone, long inconclusive) {
    }

    /** Label and number widths: "rows without a socket" and up to 9,999,999 keep the numbers right-aligned. */
    private static final int LABEL = 22;
    private static final int NUMBER = 10;

    private CensusText() {
    }

    static String local(LocalCensus census, int partitionCount, Instant at) {
        StringBuilder text = new StringBuilder();
        text.append("registry census (local stack, ").append(at.truncatedTo(ChronoUnit.SECONDS)).append(")\n");
        line(text, "rows", census.rows());
        line(text, "open connections", census.open());
        line(text, "rows without a socket", census.rowsWithoutSocket());
        line(text, "sockets without a row", census.socketsWithoutRow());
        registry(text, census.registry(), partitionCount);
        return text.toString();
    }

    static String aws(RegistryCensus.Report report, int partitionCount, String region, Instant at, Probed probed) {
        StringBuilder text = new StringBuilder();
        text.append("registry census (AWS ").append(region).append(", ").append(at.truncatedTo(ChronoUnit.SECONDS)).append(")\n");
        line(text, "rows", report.rows());
        if (probed == null) {
            words(text, "rows without a socket", "not checked: on AWS only GetConnection per row tells; the sweeper asks");
            words(text, "", "about every row and removes the gone ones (--probe counts them here)");
        } else {
            line(text, "rows probed", probed.probed(), probed.tooYoung() == 0 ? ""
                    : String.format("(%,d younger than 10 s not asked)", probed.tooYoung()));
            line(text, "rows without a socket", probed.gone(), "(GetConnection answered 410)");
            if (probed.inconclusive() > 0) {
                line(text, "probes inconclusive", probed.inconclusive(), "(throttled or failed; not counted above)");
            }
        }
        words(text, "sockets without a row", "not knowable: API Gateway cannot list a stage's connections");
        registry(text, report, partitionCount);
        return text.toString();
    }

    private static void registry(StringBuilder text, RegistryCensus.Report report, int partitionCount) {
        line(text, "recorded total", report.recorded(), "(sum of the partitions' counts)");
        line(text, "partitions drifted", report.partitionsDrifted(),
                String.format("of %,d (total |drift| %,d)", partitionCount, report.countDrift()));
        if (report.partitionsBusy() > 0) {
            line(text, "partitions busy", report.partitionsBusy(),
                    "(drifted, but their count moved during the census: a connect or disconnect in flight)");
        }
        if (!report.drifts().isEmpty()) {
            text.append(report.partitionsDrifted() > report.drifts().size()
                    ? String.format("  first %,d drifted partitions:\n", report.drifts().size())
                    : "  drifted partitions:\n");
            for (RegistryCensus.Drift d : report.drifts()) {
                text.append(String.format("    partition %-8s recorded %,9d   rows %,9d   (%+,d)\n",
                        d.partitionId(), d.recorded(), d.rows(), d.recorded() - d.rows()));
            }
        }
    }

    /** A figure that is not a number, starting where the numbers start. */
    private static void words(StringBuilder text, String label, String words) {
        text.append(String.format("  %-" + LABEL + "s  %s\n", label, words));
    }

    private static void line(StringBuilder text, String label, long value) {
        line(text, label, value, "");
    }

    private static void line(StringBuilder text, String label, long value, String note) {
        text.append(String.format("  %-" + LABEL + "s%" + NUMBER + "s", label, String.format("%,d", value)));
        if (!note.isEmpty()) {
            text.append(' ').append(note);
        }
        text.append('\n');
    }
}
