package dev.wsfanout.stack;

import dev.wsfanout.registry.RegistryCensus;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The registry held against what the gateway has open: the figures {@code wsfanout census} prints
 * locally and the registry soak requires to be 0 after a sweep.
 *
 * @param rows              rows in the connections table
 * @param open              connections the gateway has open (sockets and virtual)
 * @param rowsWithoutSocket rows whose connection the gateway does not have open
 * @param socketsWithoutRow open connections with no row: clients no broadcast reaches
 * @param registry          the registry's own census: recorded counts against rows
 */
public record LocalCensus(long rows, long open, long rowsWithoutSocket, long socketsWithoutRow,
                          RegistryCensus.Report registry) {

    /**
     * Reads the gateway's open ids both before and after the scan: a connection counts as open
     * only if it was open at both ends, and as closed only if it was closed at both, so one that
     * connects or leaves while the census runs is reported as neither.
     */
    public static LocalCensus take(RegistryCensus census, Supplier<Set<String>> openIds) {
        Set<String> openBefore = openIds.get();
        Set<String> rowIds = new HashSet<>();
        RegistryCensus.Report report = census.take(row -> rowIds.add(row.connectionId()));
        Set<String> openAfter = openIds.get();
        long rowsWithoutSocket = rowIds.stream().filter(id -> !openBefore.contains(id) && !openAfter.contains(id)).count();
        long socketsWithoutRow = openBefore.stream().filter(id -> openAfter.contains(id) && !rowIds.contains(id)).count();
        return new LocalCensus(report.rows(), openAfter.size(), rowsWithoutSocket, socketsWithoutRow, report);
    }

    /** Every figure that must be 0 when the registry is true. */
    public boolean exact() {
        return rowsWithoutSocket == 0 && socketsWithoutRow == 0 && registry.partitionsDrifted() == 0;
    }

    @Override
    public String toString() {
        return String.format("rows %,d, open connections %,d, rows without a socket %,d, sockets without a row %,d, "
                        + "partitions drifted %,d (total |drift| %,d, %,d busy)",
                rows, open, rowsWithoutSocket, socketsWithoutRow, registry.partitionsDrifted(), registry.countDrift(),
                registry.partitionsBusy());
    }
}
