package dev.wsfanout.registry;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assignment rule's balance at the registry's design point (100,000 connects over 2,500
 * partitions). The figures are printed by {@link PartitionBalanceReport}; this test holds the
 * property the design relies on.
 */
class PartitionBalanceTest {

    @Test
    void twoChoicesStaysWithinTenPercentOfTheMeanWhereRandomDoesNot() {
        for (long seed = 1; seed <= 3; seed++) {
            double twoChoices = PartitionBalanceReport.maxOverMean(
                    PartitionSimulation.simulate(2500, 100_000, new SplittableRandom(seed), true));
            double random = PartitionBalanceReport.maxOverMean(
                    PartitionSimulation.simulate(2500, 100_000, new SplittableRandom(seed), false));
            assertTrue(twoChoices <= 1.1, "two choices max/mean " + twoChoices);
            assertTrue(random > 1.3, "plain random max/mean " + random);
        }
    }

    @Test
    void candidatesAreDistinctAndInRange() {
        RandomGenerator random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            int[] c = PartitionAssigner.twoDistinct(random, 7);
            assertTrue(c[0] != c[1] && c[0] >= 1 && c[0] <= 7 && c[1] >= 1 && c[1] <= 7);
        }
        assertEquals(1, PartitionAssigner.twoDistinct(random, 1)[1]);
    }

    @Test
    void lighterPartitionWins() {
        assertEquals(4, PartitionAssigner.lighter(4, 1, 9, 2, false));
        assertEquals(9, PartitionAssigner.lighter(4, 3, 9, 2, true));
        assertEquals(4, PartitionAssigner.lighter(4, 2, 9, 2, true));
        assertEquals(9, PartitionAssigner.lighter(4, 2, 9, 2, false));
    }
}
