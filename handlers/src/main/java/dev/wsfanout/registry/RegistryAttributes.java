package dev.wsfanout.registry;

/** Attribute names of the connections and partitions tables. */
public final class RegistryAttributes {
    public static final String CONNECTION_ID = "connectionId";
    public static final String PARTITION_ID = "partitionId";
    public static final String CONNECTED_AT = "connectedAt";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String CONNECTION_COUNT = "connectionCount";

    private RegistryAttributes() {
    }
}
