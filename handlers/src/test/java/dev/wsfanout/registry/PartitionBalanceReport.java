package dev.wsfanout.registry;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Prints the balance of the assignment rule against plain random assignment. Run with
 * {@code mvn -q -pl handlers -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.wsfanout.registry.PartitionBalanceReport} (see docs/registry.md).
 */
public final class PartitionBalanceReport {

    private PartitionBalanceReport() {
    }

    public static void main(String[] args) {
        int partitions = 2500;
        int connects = 100_000;
        int runs = 5;
        System.out.printf("%d connects over %d partitions, %d seeds (max/mean partition size; median of runs)%n",
                connects, partitions, runs);
        double[] two = new double[runs];
        double[] random = new double[runs];
        for (int s = 0; s < runs; s++) {
            two[s] = maxOverMean(PartitionSimulation.simulate(partitions, connects, new SplittableRandom(s), true));
            random[s] = maxOverMean(PartitionSimulation.simulate(partitions, connects, new SplittableRandom(s), false));
        }
        Arrays.sort(two);
        Arrays.sort(random);
        System.out.printf("| assignment | max/mean (median) | range |%n|---|---|---|%n");
        System.out.printf("| power of two choices | %.3f | %.3f–%.3f |%n", two[runs / 2], two[0], two[runs - 1]);
        System.out.printf("| plain random | %.3f | %.3f–%.3f |%n", random[runs / 2], random[0], random[runs - 1]);
    }

    static double maxOverMean(long[] counts) {
        long max = 0;
        long total = 0;
        for (int p = 1; p < counts.length; p++) {
            max = Math.max(max, counts[p]);
            total += counts[p];
        }
        return max / ((double) total / (counts.length - 1));
    }
}
