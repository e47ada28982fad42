package dev.wsfanout.bench;

import java.util.Arrays;
import java.util.Collection;

/** Medians and percentiles of small samples (nearest rank), as the report quotes them. */
public final class Stats {

    private Stats() {
    }

    public static double median(Collection<? extends Number> values) {
        return percentile(values.stream().mapToDouble(Number::doubleValue).toArray(), 50);
    }

    /** Nearest-rank percentile; NaN for no values. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static double percentile(long[] values, double p) {
        return percentile(Arrays.stream(values).asDoubleStream().toArray(), p);
    }
}
