package dev.wsfanout.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The distribution of per-client latencies (StartExecution call to receipt, measured at the
 * clients): percentiles as a small table and an ASCII histogram.
 */
public record LatencyReport(List<Long> sortedMillis) {

    private static final int BAR_WIDTH = 40;
    private static final int BUCKETS = 10;

    public LatencyReport {
        List<Long> copy = new ArrayList<>(sortedMillis);
        Collections.sort(copy);
        sortedMillis = List.copyOf(copy);
    }

    public static LatencyReport of(List<Long> millis) {
        return new LatencyReport(millis);
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    public long percentile(double p) {
        if (sortedMillis.isEmpty()) {
            throw new IllegalStateException("no latencies were measured");
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedMillis.size());
        return sortedMillis.get(Math.max(0, rank - 1));
    }

    public long max() {
        return percentile(100);
    }

    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "latency (StartExecution to receipt, %d clients)%n", sortedMillis.size()));
        out.append(String.format(Locale.ROOT, "  %9s %9s %9s %9s%n", "p50", "p95", "p99", "max"));
        out.append(String.format(Locale.ROOT, "  %9s %9s %9s %9s%n", percentile(50) + " ms", percentile(95) + " ms",
                percentile(99) + " ms", max() + " ms"));
        out.append(histogram());
        return out.toString();
    }

    private String histogram() {
        long min = sortedMillis.get(0);
        long width = Math.max(1, (max() - min + BUCKETS) / BUCKETS);
        int[] counts = new int[BUCKETS];
        for (long v : sortedMillis) {
            counts[(int) Math.min(BUCKETS - 1, (v - min) / width)]++;
        }
        int highest = 0;
        for (int c : counts) {
            highest = Math.max(highest, c);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < BUCKETS; i++) {
            long from = min + i * width;
            int bar = counts[i] == 0 ? 0 : Math.max(1, counts[i] * BAR_WIDTH / highest);
            out.append(String.format(Locale.ROOT, "  %13s ms |%-" + BAR_WIDTH + "s %d%n", from + "-" + (from + width - 1),
                    "#".repeat(bar), counts[i]));
        }
        return out.toString();
    }
}
