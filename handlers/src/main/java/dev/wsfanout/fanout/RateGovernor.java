package dev.wsfanout.fanout;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces one invocation's PostToConnection calls: a token bucket whose rate is this invocation's
 * <em>share</em> of the fleet's budget times a congestion factor. The share is set from outside
 * ({@link #share}: the budget divided by the posters active now, see {@link PosterRoster}), so
 * when a shard runs dry its posters leave and the rest take over their rate at once, without a
 * 429. The factor is TCP's AIMD against whatever else draws on the account's quota: it halves
 * when API Gateway answers 429 (at most once per 100 ms: a burst of 429s is one congestion signal)
 * and climbs back by a fixed step per 100 ms of successes. The increase is per interval, not per
 * success: a per-success step grows with the rate itself and turns the climb multiplicative,
 * which keeps a fleet oscillating into 429s.
 */
public final class RateGovernor {

    private static final double DECREASE = 0.5;
    /**
     * A tenth of the share: 429s that are not congestion (a client's full buffer, a fault) keep
     * coming however slow the invocation goes, and must not starve it.
     */
    private static final double MIN_FACTOR = 0.1;
    /** Increase steps from the lowest factor back to 1: with one step per interval, 5 s. */
    private static final double INCREASE_STEPS = 50.0;
    /** The AIMD round: at most one decrease, and at most one increase, per interval. */
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LongSupplier nanoClock;
    private double share;
    private double factor = 1.0;
    private double tokens;
    private long lastRefill;
    private long lastDecrease;
    private long lastIncrease;

    public RateGovernor(double ratePerSecond) {
        this(ratePerSecond, System::nanoTime);
    }

    /** With an explicit clock: for tests, and for the capacity model that replays the same rule. */
    public RateGovernor(double ratePerSecond, LongSupplier nanoClock) {
        this.share = requirePositive(ratePerSecond);
        this.nanoClock = nanoClock;
        this.lastRefill = nanoClock.getAsLong();
        this.lastDecrease = lastRefill - INTERVAL_NANOS;
        this.lastIncrease = lastRefill;
        this.tokens = burst();
    }

    /**
     * Takes one token.
     *
     * @return nanoseconds the caller must wait before its call (0 if it may go now)
     */
    public synchronized long reserve() {
        refill();
        tokens -= 1.0;
        return tokens >= 0 ? 0 : (long) (-tokens / rate() * 1e9);
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

    /** The invocation's share of the budget changed (posters joined or left); the congestion factor stays. */
    public synchronized void share(double ratePerSecond) {
        refill();
        share = requirePositive(ratePerSecond);
    }

    public synchronized void onThrottled() {
        long now = nanoClock.getAsLong();
        if (now - lastDecrease >= INTERVAL_NANOS) {
            refill();
            factor = Math.max(MIN_FACTOR, factor * DECREASE);
            lastDecrease = now;
            lastIncrease = now;
        }
    }

    public synchronized void onSuccess() {
        long now = nanoClock.getAsLong();
        if (factor < 1.0 && now - lastIncrease >= INTERVAL_NANOS) {
            refill();
            factor = Math.min(1.0, factor + (1.0 - MIN_FACTOR) / INCREASE_STEPS);
            lastIncrease = now;
        }
    }

    public synchronized double currentRate() {
        return rate();
    }

    private double rate() {
        return share * factor;
    }

    /**
     * The burst allowance: a fiftieth of a second's worth. Small, because a share can grow by the
     * whole budget when posters leave, and a burst of that size lands on the gateway at once: a
     * tenth of a second's worth overran its answers past the posts' 2 s timeout, and posts that
     * had reached their clients were sent again. Not smaller than two of the capacity model's
     * 10 ms ticks, or the model, which takes tokens once a tick, would lose some at every tick.
     */
    private double burst() {
        return Math.max(1.0, rate() / 50.0);
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst(), tokens + (now - lastRefill) / 1e9 * rate());
        lastRefill = now;
    }

    private static double requirePositive(double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0, was " + ratePerSecond);
        }
        return ratePerSecond;
    }
}
