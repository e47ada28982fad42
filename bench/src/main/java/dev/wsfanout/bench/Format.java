package dev.wsfanout.bench;

import java.util.Locale;

/** How the report writes numbers. */
final class Format {

    private Format() {
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String millis(double ms) {
        return ms < 0 || Double.isNaN(ms) ? "n/a" : String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
