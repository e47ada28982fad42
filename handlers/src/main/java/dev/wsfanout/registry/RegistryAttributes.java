package dev.wsfanout.registry;

import dev.wsfanout.model.FanoutSchema;

/** Attribute names of the connections and partitions tables (the key attributes are the model's {@link FanoutSchema}). */
public final class RegistryAttributes {
    public static final String CONNECTION_ID = FanoutSchema.CONNECTION_ID;
    public static final String PARTITION_ID = FanoutSchema.PARTITION_ID;
    public static final String CONNECTED_AT = "connectedAt";
    public static final String EXPIRES_AT = FanoutSchema.EXPIRES_AT;
    /** Who connected, as the $connect authorizer verified it (absent when the API has no authorizer). */
    public static final String IDENTITY = dev.wsfanout.model.ConnectAuth.IDENTITY;
    public static final String CONNECTION_COUNT = "connectionCount";
    /**
     * How many times a partition's count was changed: every ADD to the count adds 1 here in the
     * same write, so the sweeper can tell a count that moved during its scan from one that drifted.
     */
    public static final String COUNT_CHANGES = "countChanges";

    private RegistryAttributes() {
    }
}
