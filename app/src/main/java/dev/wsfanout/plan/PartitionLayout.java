package dev.wsfanout.plan;

/** How the connections spread over the partitions: evenly, the first ones taking the remainder. */
record PartitionLayout(int connections, int partitions) {

    int connectionsIn(int partition) {
        return connections / partitions + (partition < connections % partitions ? 1 : 0);
    }
}
