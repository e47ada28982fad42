package dev.wsfanout.local.faults;

import java.util.Random;

/**
 * When a rule injects its fault into a request it matches. Match numbers count the requests the rule has
 * matched since its plan was put in force, from 1.
 */
public sealed interface FaultTrigger permits FaultTrigger.Probability, FaultTrigger.Nth, FaultTrigger.Every {

    /** Each matching request independently with probability {@code p}, drawn from the plan's seeded random. */
    static FaultTrigger probability(double p) {
        return new Probability(p);
    }

    /** The {@code n}-th matching request only. */
    static FaultTrigger nth(int n) {
        return new Nth(n);
    }

    /** Every {@code n}-th matching request: the n-th, 2n-th, ... ({@code every(1)}: all of them). */
    static FaultTrigger every(int n) {
        return new Every(n);
    }

    /** Whether the {@code match}-th matching request gets the fault. */
    boolean fires(long match, Random random);

    record Probability(double p) implements FaultTrigger {
        public Probability {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability must be in [0, 1], was " + p);
            }
        }

        @Override
        public boolean fires(long match, Random random) {
            return random.nextDouble() < p;
        }
    }

    record Nth(int n) implements FaultTrigger {
        public Nth {
            if (n < 1) {
                throw new IllegalArgumentException("nth must be at least 1, was " + n);
            }
        }

        @Override
        public boolean fires(long match, Random random) {
            return match == n;
        }
    }

    record Every(int n) implements FaultTrigger {
        public Every {
            if (n < 1) {
                throw new IllegalArgumentException("every must be at least 1, was " + n);
            }
        }

        @Override
        public boolean fires(long match, Random random) {
            return match % n == 0;
        }
    }
}
