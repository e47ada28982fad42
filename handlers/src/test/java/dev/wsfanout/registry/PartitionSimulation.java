package dev.wsfanout.registry;

import java.util.function.IntBinaryOperator;
import java.util.random.RandomGenerator;

/** {@link PartitionAssigner}'s rule run without I/O, so the balance can be measured at any size. */
final class PartitionSimulation {

    private PartitionSimulation() {
    }

    /** Simulates {@code connects} assignments with a count oracle; returns the final counts (index = partition). */
    static long[] simulate(int partitionCount, int connects, RandomGenerator random, boolean twoChoices) {
        long[] counts = new long[partitionCount + 1];
        IntBinaryOperator pick = (a, b) -> PartitionAssigner.lighter(a, counts[a], b, counts[b], random.nextBoolean());
        for (int i = 0; i < connects; i++) {
            int[] c = PartitionAssigner.twoDistinct(random, partitionCount);
            counts[twoChoices ? pick.applyAsInt(c[0], c[1]) : c[0]]++;
        }
        return counts;
    }
}
