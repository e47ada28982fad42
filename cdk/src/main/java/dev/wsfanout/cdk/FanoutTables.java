package dev.wsfanout.cdk;

import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.TableSchema;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/**
 * The five on-demand tables of docs/contracts.md, declared from the model's {@link FanoutSchema}
 * (keys, indexes, TTL); CloudFormation names them.
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
        connections = table(config, schema.connections());
        partitions = table(config, schema.partitions());
        broadcasts = table(config, schema.broadcasts());
        deliveries = table(config, schema.deliveries());
        history = table(config, schema.history());
    }

    private Table table(DeployConfig config, TableSchema schema) {
        Table table = Table.Builder.create(this, schema.id())
                .partitionKey(attribute(schema.partitionKey()))
                .sortKey(attribute(schema.sortKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(schema.ttlAttribute())
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(config.pointInTimeRecovery())
                        .build())
                .removalPolicy(config.removalPolicy())
                .build();
        for (TableSchema.Index index : schema.globalIndexes()) {
            table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(attribute(index.partitionKey()))
                    .sortKey(attribute(index.sortKey()))
                    .projectionType(ProjectionType.valueOf(index.projection().name()))
                    .build());
        }
        return table;
    }

    private static Attribute attribute(TableSchema.Key key) {
        if (key == null) {
            return null;
        }
        AttributeType type = switch (key.type()) {
            case STRING -> AttributeType.STRING;
            case NUMBER -> AttributeType.NUMBER;
        };
        return Attribute.builder().name(key.name()).type(type).build();
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
