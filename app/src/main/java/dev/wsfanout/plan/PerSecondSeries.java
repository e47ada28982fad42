package dev.wsfanout.plan;

import java.util.Arrays;

/** Counts of something per whole second of simulated time. */
final class PerSecondSeries {

    private long[] counts = new long[128];
    private int seconds;

    void add(long atMicros, long count) {
        int second = (int) (atMicros / 1_000_000);
        if (second >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(second + 1, counts.length * 2));
        }
        counts[second] += count;
        seconds = Math.max(seconds, second + 1);
    }

    /** One value per second from 0 up to and including the second that contains {@code endMicros}. */
    long[] through(long endMicros) {
        int length = Math.max(seconds, (int) (endMicros / 1_000_000) + 1);
        return Arrays.copyOf(counts, length);
    }
}
