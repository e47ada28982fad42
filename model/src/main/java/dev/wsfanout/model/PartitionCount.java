package dev.wsfanout.model;

/** How many live connections a partition holds, as the partitions table records it. */
public record PartitionCount(int partitionId, long connectionCount) {
    public PartitionCount {
        if (partitionId < 1) {
            throw new IllegalArgumentException("partitionId must be >= 1, was " + partitionId);
        }
        if (connectionCount < 0) {
            throw new IllegalArgumentException("connectionCount must be >= 0, was " + connectionCount);
        }
    }
}
