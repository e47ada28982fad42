package dev.wsfanout.registry;

import dev.wsfanout.model.Connection;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Counts the registry without changing it: its rows (consistent scan), and how far each
 * partition's recorded count is from the rows it holds. What {@code wsfanout census} prints and
 * the registry soak checks; the sweeper is what repairs.
 */
public final class RegistryCensus {

    /** Drifted partitions listed in a report; the totals cover all of them. */
    public static final int LISTED = 20;

    private final RegistryReader reader;
    private final int partitionCount;

    public RegistryCensus(DynamoDbClient dynamo, FanoutConfig config) {
        this.reader = new RegistryReader(dynamo, config);
        this.partitionCount = config.partitionCount();
    }

    /**
     * @param rows              rows in the connections table
     * @param recorded          the sum of the partitions' recorded counts
     * @param partitionsDrifted partitions whose recorded count differs from their rows
     * @param countDrift        the sum, over partitions, of |recorded − rows|
     * @param partitionsBusy    drifted partitions whose count changed while the census ran (a
     *                          connect or disconnect in flight, not necessarily drift)
     * @param drifts            the first {@value #LISTED} drifted partitions
     */
    public record Report(long rows, long recorded, int partitionsDrifted, long countDrift, int partitionsBusy,
                         List<Drift> drifts) {
        public Report {
            drifts = List.copyOf(drifts);
        }
    }

    /** One partition whose count is not its number of rows. */
    public record Drift(int partitionId, long recorded, long rows) {
    }

    public Report take() {
        return take(row -> { });
    }

    /** A census that also hands every row to {@code eachRow} (the local census compares them with the sockets). */
    public Report take(Consumer<Connection> eachRow) {
        RegistryReader.PartitionCounts before = reader.partitionCounts();
        long[] rows = new long[partitionCount + 1];
        long[] total = new long[1];
        reader.forEachRow(row -> {
            total[0]++;
            if (row.partitionId() >= 1 && row.partitionId() <= partitionCount) {
                rows[row.partitionId()]++;
            }
            eachRow.accept(row);
        });
        RegistryReader.PartitionCounts after = reader.partitionCounts();
        List<Drift> drifts = new ArrayList<>();
        int drifted = 0;
        int busy = 0;
        long drift = 0;
        for (int p = 1; p <= partitionCount; p++) {
            long recorded = after.counts()[p];
            if (recorded == rows[p]) {
                continue;
            }
            drifted++;
            drift += Math.abs(recorded - rows[p]);
            if (after.changes()[p] != before.changes()[p]) {
                busy++;
            }
            if (drifts.size() < LISTED) {
                drifts.add(new Drift(p, recorded, rows[p]));
            }
        }
        return new Report(total[0], after.total(), drifted, drift, busy, drifts);
    }
}
