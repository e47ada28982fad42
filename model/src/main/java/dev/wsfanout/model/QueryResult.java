package dev.wsfanout.model;

/** What one query Lambda invocation reports to the Map, which sums these over all batches. */
public record QueryResult(int partitions, long connections, int chunks) {
}
