package dev.wsfanout.registry;

/** Attribute names of the connections and partitions tables. */
final class RegistryAttributes {
    static final String CONNECTION_ID = "connectionId";
    static final String PARTITION_ID = "partitionId";
    static final String CONNECTED_AT = "connectedAt";
    static final String EXPIRES_AT = "expiresAt";
    static final String CONNECTION_COUNT = "connectionCount";

    private RegistryAttributes() {
    }
}
