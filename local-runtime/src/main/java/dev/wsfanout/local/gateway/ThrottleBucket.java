package dev.wsfanout.local.gateway;

import java.util.function.LongSupplier;

/**
 * API Gateway's account-level throttle: a bucket of {@code burst} tokens refilled at
 * {@code perSecond}; each management call takes one, and a call finding the bucket empty is
 * refused (429). Thread-safe.
 */
final class ThrottleBucket {

    private final boolean unlimited;
    private final double perNano;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastRefill;

    ThrottleBucket(double perSecond, int burst, LongSupplier nanoClock) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate limit: perSecond must be a positive number, was " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("rate limit: burst must be >= 1, was " + burst);
        }
        this.unlimited = false;
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastRefill = nanoClock.getAsLong();
    }

    private ThrottleBucket() {
        this.unlimited = true;
        this.perNano = 0;
        this.capacity = 0;
        this.nanoClock = () -> 0;
    }

    /** A bucket that never runs dry: no rate limit. */
    static ThrottleBucket unlimited() {
        return new ThrottleBucket();
    }

    boolean tryAcquire() {
        return unlimited || take();
    }

    private synchronized boolean take() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - lastRefill) * perNano);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
