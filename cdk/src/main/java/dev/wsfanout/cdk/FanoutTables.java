package dev.wsfanout.cdk;

import dev.wsfanout.model.FanoutSchema;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/**
 * The five on-demand tables of docs/contracts.md, declared from the model's {@link FanoutSchema}
 * (keys, indexes, TTL) by {@link SchemaTable}; CloudFormation names them.
 */
public final class FanoutTables extends Construct {

    private final Table connections;
    private final Table partitions;
    private final Table broadcasts;
    private final Table deliveries;
    private final Table history;
    private final String partitionIndexName;

    public FanoutTables(Construct scope, String id, DeployConfig config) {
        super(scope, id);
        FanoutSchema schema = FanoutSchema.of(config.fanout());
        partitionIndexName = config.fanout().partitionIndex();
        connections = SchemaTable.declare(this, config, schema.connections());
        partitions = SchemaTable.declare(this, config, schema.partitions());
        broadcasts = SchemaTable.declare(this, config, schema.broadcasts());
        deliveries = SchemaTable.declare(this, config, schema.deliveries());
        history = SchemaTable.declare(this, config, schema.history());
    }

    public Table connections() {
        return connections;
    }

    public Table partitions() {
        return partitions;
    }

    public Table broadcasts() {
        return broadcasts;
    }

    public Table deliveries() {
        return deliveries;
    }

    /** The stream's numbered entries and its head hint (docs/resume.md). */
    public Table history() {
        return history;
    }

    public String partitionIndexName() {
        return partitionIndexName;
    }

    /** The ARN IAM uses for the partition index: {@code <table arn>/index/<name>}. */
    public String partitionIndexArn() {
        return connections.getTableArn() + "/index/" + partitionIndexName;
    }
}
