package dev.wsfanout.local.gateway;

/**
 * Failures the gateway injects into {@code POST @connections/{id}} calls, to exercise retries and
 * gone-connection handling: a fraction answered 429 (LimitExceededException), a fraction answered
 * 500, and a fraction whose connection the gateway drops (closes, then answers 410 GoneException)
 * instead of delivering. The three fractions are exclusive and their sum must be at most 1.
 * Decisions come from a {@link java.util.Random} seeded with {@code seed}, so a run can be repeated.
 */
public record FaultInjection(double throttleFraction, double serverErrorFraction, double dropFraction, long seed) {

    /** What happens to one post. */
    enum Fault { NONE, THROTTLE, SERVER_ERROR, DROP }

    public FaultInjection {
        requireFraction("throttleFraction", throttleFraction);
        requireFraction("serverErrorFraction", serverErrorFraction);
        requireFraction("dropFraction", dropFraction);
        double sum = throttleFraction + serverErrorFraction + dropFraction;
        if (sum > 1.0) {
            throw new IllegalArgumentException("fault injection: fractions add up to " + sum + ", must be at most 1");
        }
    }

    public static FaultInjection none() {
        return new FaultInjection(0, 0, 0, 0);
    }

    public static Builder builder() {
        return new Builder();
    }

    boolean isNone() {
        return throttleFraction == 0 && serverErrorFraction == 0 && dropFraction == 0;
    }

    /** The fault for a post whose uniform random draw in [0, 1) is {@code draw}. */
    Fault faultFor(double draw) {
        if (draw < throttleFraction) {
            return Fault.THROTTLE;
        }
        if (draw < throttleFraction + serverErrorFraction) {
            return Fault.SERVER_ERROR;
        }
        if (draw < throttleFraction + serverErrorFraction + dropFraction) {
            return Fault.DROP;
        }
        return Fault.NONE;
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("fault injection: " + name + " must be in [0, 1], was " + value);
        }
    }

    public static final class Builder {
        private double throttleFraction;
        private double serverErrorFraction;
        private double dropFraction;
        private long seed = 1;

        private Builder() {
        }

        public Builder throttleFraction(double fraction) {
            this.throttleFraction = fraction;
            return this;
        }

        public Builder serverErrorFraction(double fraction) {
            this.serverErrorFraction = fraction;
            return this;
        }

        public Builder dropFraction(double fraction) {
            this.dropFraction = fraction;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public FaultInjection build() {
            return new FaultInjection(throttleFraction, serverErrorFraction, dropFraction, seed);
        }
    }
}
