package dev.wsfanout.fanout;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces one invocation's PostToConnection calls: a token bucket whose rate starts at this
 * invocation's share of the account quota, halves when API Gateway answers 429 (multiplicative
 * decrease, at most once per 100 ms: a burst of 429s is one congestion signal) and climbs back by
 * a fixed step per 100 ms of successes (additive increase) — TCP's AIMD, which lets many
 * concurrent invocations that never talk to each other settle near the shared quota instead of
 * all hammering it. The increase is per interval, not per success: a per-success step grows with
 * the rate itself and turns the climb multiplicative, which keeps a fleet oscillating into 429s.
 */
public final class RateGovernor {

    private static final double DECREASE = 0.5;
    /** Increase steps from the floor to the ceiling: with one step per interval, 5 s. */
    private static final double INCREASE_STEPS = 50.0;
    /** The AIMD round: at most one decrease, and at most one increase, per interval. */
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final double ceiling;
    private final double floor;
    private final LongSupplier nanoClock;
    private double rate;
    private double tokens;
    private long lastRefill;
    private long lastDecrease;
    private long lastIncrease;

    public RateGovernor(double ratePerSecond) {
        this(ratePerSecond, System::nanoTime);
    }

    /** With an explicit clock: for tests, and for the capacity model that replays the same rule. */
    public RateGovernor(double ratePerSecond, LongSupplier nanoClock) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be > 0, was " + ratePerSecond);
        }
        this.ceiling = ratePerSecond;
        // A tenth of the share: 429s that are not congestion (a client's full buffer, a fault)
        // keep coming however slow the invocation goes, and must not starve it.
        this.floor = Math.max(1.0, ratePerSecond / 10.0);
        this.rate = ratePerSecond;
        this.nanoClock = nanoClock;
        this.lastRefill = nanoClock.getAsLong();
        this.lastDecrease = lastRefill - INTERVAL_NANOS;
        this.lastIncrease = lastRefill;
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

    /** Takes one token only if one is there now; for callers that schedule instead of waiting. */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens < 1.0) {
            return false;
        }
        tokens -= 1.0;
        return true;
    }

    public synchronized void onThrottled() {
        long now = nanoClock.getAsLong();
        if (now - lastDecrease >= INTERVAL_NANOS) {
            refill();
            rate = Math.max(floor, rate * DECREASE);
            lastDecrease = now;
            lastIncrease = now;
        }
    }

    public synchronized void onSuccess() {
        long now = nanoClock.getAsLong();
        if (rate < ceiling && now - lastIncrease >= INTERVAL_NANOS) {
            refill();
            rate = Math.min(ceiling, rate + (ceiling - floor) / INCREASE_STEPS);
            lastIncrease = now;
        }
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
