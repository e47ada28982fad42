package dev.wsfanout.plan;

import java.util.List;
import java.util.Locale;

/** Deliveries per second as text: a table of time buckets with a bar each, and a one-line sparkline. */
final class RateChart {

    private static final int MAX_ROWS = 30;
    private static final int BAR_WIDTH = 40;
    private static final int SPARKLINE_WIDTH = 100;
    private static final String LEVELS = " .:-=+*#%@";

    private RateChart() {
    }

    static String table(List<Long> deliveries, List<Long> throttled) {
        int seconds = deliveries.size();
        int bucket = Math.max(1, (seconds + MAX_ROWS - 1) / MAX_ROWS);
        int rows = (seconds + bucket - 1) / bucket;
        double[] deliveryRates = new double[rows];
        double[] throttleRates = new double[rows];
        double peak = 0;
        for (int row = 0; row < rows; row++) {
            int from = row * bucket;
            int to = Math.min(seconds, from + bucket);
            deliveryRates[row] = average(deliveries, from, to);
            throttleRates[row] = average(throttled, from, to);
            peak = Math.max(peak, deliveryRates[row]);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "    %-11s %14s %10s%n", "t (s)", "deliveries/s", "429/s"));
        for (int row = 0; row < rows; row++) {
            int bar = peak == 0 ? 0 : (int) Math.round(deliveryRates[row] / peak * BAR_WIDTH);
            String span = (row * bucket) + "-" + Math.min(seconds, (row + 1) * bucket);
            out.append(String.format(Locale.ROOT, "    %-11s %,14.0f %,10.0f  %s%n",
                    span, deliveryRates[row], throttleRates[row], "#".repeat(bar)));
        }
        return out.toString();
    }

    /**
     * One character per second (per few seconds for a long broadcast, at most
     * {@value #SPARKLINE_WIDTH} characters), from ' ' (none) to '@' (the peak).
     */
    static String sparkline(List<Long> deliveries) {
        int seconds = deliveries.size();
        int bucket = Math.max(1, (seconds + SPARKLINE_WIDTH - 1) / SPARKLINE_WIDTH);
        int width = (seconds + bucket - 1) / bucket;
        double[] rates = new double[width];
        double peak = 0;
        for (int i = 0; i < width; i++) {
            rates[i] = average(deliveries, i * bucket, Math.min(seconds, (i + 1) * bucket));
            peak = Math.max(peak, rates[i]);
        }
        StringBuilder line = new StringBuilder(width);
        for (double rate : rates) {
            line.append(LEVELS.charAt(peak == 0 ? 0 : (int) Math.round(rate / peak * (LEVELS.length() - 1))));
        }
        return line.toString();
    }

    private static double average(List<Long> values, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += values.get(i);
        }
        return to > from ? (double) sum / (to - from) : 0;
    }
}
