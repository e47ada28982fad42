package dev.wsfanout.plan;

import java.util.SplittableRandom;

/**
 * Draws latencies uniformly within ±jitter of their mean from one seeded generator, so that the
 * same parameters and seed replay the same run.
 */
final class LatencySampler {

    private final SplittableRandom random;
    private final double jitter;

    LatencySampler(long seed, double jitter) {
        this.random = new SplittableRandom(seed);
        this.jitter = jitter;
    }

    /** Exponential backoff with full jitter before retry number {@code retry} (1 for the first retry). */
    long backoffMicros(double baseMillis, int retry) {
        return Math.round(random.nextDouble() * baseMillis * (1L << Math.min(retry - 1, 20)) * 1000);
    }

    long micros(double meanMillis) {
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Math.round(meanMillis * factor * 1000);
    }
}
