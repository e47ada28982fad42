package dev.wsfanout.fanout;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces one invocation's PostToConnection calls: a token bucket whose rate starts at this
 * invocation's share of the account quota, halves when API Gateway answers 429 (multiplicative
 * decrease) and climbs back by a small step for every success (additive increase) — TCP's AIMD,
 * which lets many concurrent invocations that do not talk to each other settle near the shared
 * quota instead of all hammering it.
 */
public final class RateGovernor {

    private static final double DECREASE = 0.5;
    /** Successes needed to climb back from the floor to the ceiling: ~a second's worth at full rate. */
    private static final double INCREASE_STEPS = 200.0;
    /** At most one decrease per this many nanoseconds: a burst of 429s is one congestion signal. */
    private static final long DECREASE_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final double ceiling;
    private final double floor;
    private final LongSupplier nanoClock;
    private double rate;
    private double tokens;
    private long lastRefill;
    private long lastDecrease;

    public RateGovernor(double ratePerSecond) {
        this(ratePerSecond, System::nanoTime);
    }

    RateGovernor(double ratePerSecond, LongSupplier nanoClock) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be > 0, was " + ratePerSecond);
        }
        this.ceiling = ratePerSecond;
        this.floor = Math.max(1.0, ratePerSecond / 100.0);
        this.rate = ratePerSecond;
        this.nanoClock = nanoClock;
        this.lastRefill = nanoClock.getAsLong();
        this.lastDecrease = lastRefill - DECREASE_HOLD_NANOS;
        // A small burst allowance: a fresh invocation may start a tenth of a second's worth at once.
        this.tokens = Math.max(1.0, ratePerSecond / 10.0);
    }

    /**
     * Takes one token.
     *
     * @return nanoseconds the caller must wait before its call (0 if it may go now)
     */
    public synchronized long reserve() {
        refill();
        tokens -= 1.0;
        return tokens >= 0 ? 0 : (long) (-tokens / rate * 1e9);
    }

    public synchronized void onThrottled() {
        long now = nanoClock.getAsLong();
        if (now - lastDecrease >= DECREASE_HOLD_NANOS) {
            refill();
            rate = Math.max(floor, rate * DECREASE);
            lastDecrease = now;
        }
    }

    public synchronized void onSuccess() {
        refill();
        rate = Math.min(ceiling, rate + (ceiling - floor) / INCREASE_STEPS);
    }

    public synchronized double currentRate() {
        return rate;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        double burst = Math.max(1.0, rate / 10.0);
        tokens = Math.min(burst, tokens + (now - lastRefill) / 1e9 * rate);
        lastRefill = now;
    }
}
