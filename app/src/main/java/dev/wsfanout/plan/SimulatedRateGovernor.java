package dev.wsfanout.plan;

/**
 * The postMessage handler's RateGovernor (handlers: dev.wsfanout.fanout.RateGovernor) on the
 * simulated clock, with the same constants: a token bucket whose burst is a tenth of a second at the
 * current rate; the rate starts at POST_RATE, halves on a 429 (at most once per 100 ms), climbs by
 * 1/200 of its range per success, and never drops below POST_RATE / 100. Keep the two in step.
 */
final class SimulatedRateGovernor {

    private static final double DECREASE = 0.5;
    private static final double INCREASE_STEPS = 200.0;
    private static final long DECREASE_HOLD_MICROS = 100_000;

    private final double ceiling;
    private final double floor;
    private double rate;
    private double tokens;
    private long refilledAtMicros;
    private long lastDecreaseMicros;

    SimulatedRateGovernor(double ratePerSecond, long nowMicros) {
        this.ceiling = ratePerSecond;
        this.floor = Math.max(1.0, ratePerSecond / 100.0);
        this.rate = ratePerSecond;
        this.tokens = Math.max(1.0, ratePerSecond / 10.0);
        this.refilledAtMicros = nowMicros;
        this.lastDecreaseMicros = nowMicros - DECREASE_HOLD_MICROS;
    }

    /** Takes up to {@code wanted} tokens; returns how many posts may start now. */
    int take(long nowMicros, int wanted) {
        refill(nowMicros);
        int granted = (int) Math.min(wanted, Math.floor(tokens));
        tokens -= granted;
        return granted;
    }

    void onThrottled(long nowMicros) {
        if (nowMicros - lastDecreaseMicros >= DECREASE_HOLD_MICROS) {
            refill(nowMicros);
            rate = Math.max(floor, rate * DECREASE);
            lastDecreaseMicros = nowMicros;
        }
    }

    void onSuccesses(long nowMicros, int successes) {
        refill(nowMicros);
        rate = Math.min(ceiling, rate + successes * (ceiling - floor) / INCREASE_STEPS);
    }

    private void refill(long nowMicros) {
        double burst = Math.max(1.0, rate / 10.0);
        tokens = Math.min(burst, tokens + (nowMicros - refilledAtMicros) / 1e6 * rate);
        refilledAtMicros = nowMicros;
    }
}
