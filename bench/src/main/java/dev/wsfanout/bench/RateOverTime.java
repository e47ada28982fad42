package dev.wsfanout.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A broadcast's rate from its first post to its last as a table of at most {@link #ROWS} rows
 * (each a whole number of seconds), beside the limit it is held against: where a pipeline leaves
 * quota unused shows as a row well under 100%, ramp and tail included.
 */
final class RateOverTime {

    private static final int ROWS = 20;

    private RateOverTime() {
    }

    static void table(MarkdownReport report, DesignRun run, double limitPerSecond) {
        List<long[]> seconds = run.perSecondFromFirstPost();
        int width = Math.max(1, (seconds.size() + ROWS - 1) / ROWS);
        List<List<String>> rows = new ArrayList<>();
        for (int from = 0; from < seconds.size(); from += width) {
            int to = Math.min(seconds.size(), from + width);
            long delivered = 0;
            long throttled = 0;
            for (long[] second : seconds.subList(from, to)) {
                delivered += second[0];
                throttled += second[1];
            }
            // The last second is usually partial: its rate is over the time it lasted, not a whole second.
            double span = to == seconds.size() ? Math.max(0.05, postingSeconds(run) - from) : to - from;
            rows.add(List.of(from + "–" + to + " s", Format.count(delivered), Format.rate(delivered / span),
                    Format.percent(delivered / span / limitPerSecond), Format.count(throttled)));
        }
        report.table(List.of("from first post", "deliveries", "deliveries/s", "of " + Format.count((long) limitPerSecond) + "/s",
                "429s"), rows);
    }

    private static double postingSeconds(DesignRun run) {
        return run.delivered() / run.postingRate();
    }
}
