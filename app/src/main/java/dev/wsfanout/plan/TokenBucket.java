package dev.wsfanout.plan;

/**
 * A token bucket refilled continuously at {@code ratePerSecond} up to {@code capacity}; it starts
 * full, as API Gateway's account bucket does when a broadcast follows a quiet period.
 */
final class TokenBucket {

    private final double capacity;
    private final double ratePerSecond;
    private double tokens;
    private long refilledAtMicros;

    TokenBucket(double capacity, double ratePerSecond) {
        this.capacity = capacity;
        this.ratePerSecond = ratePerSecond;
        this.tokens = capacity;
    }

    /** Takes up to {@code wanted} whole tokens and returns how many it took. */
    int take(long nowMicros, int wanted) {
        refill(nowMicros);
        int granted = (int) Math.min(wanted, Math.floor(tokens));
        tokens -= granted;
        return granted;
    }

    double available(long nowMicros) {
        refill(nowMicros);
        return tokens;
    }

    private void refill(long nowMicros) {
        if (nowMicros > refilledAtMicros) {
            tokens = Math.min(capacity, tokens + ratePerSecond * (nowMicros - refilledAtMicros) / 1e6);
            refilledAtMicros = nowMicros;
        }
    }
}
