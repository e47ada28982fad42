package dev.wsfanout.cdk;

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
 * One on-demand table declared from the model's {@link TableSchema} (keys, indexes, TTL), with the
 * deployment's recovery and removal settings; CloudFormation names it. A cell's five tables and
 * the home Region's history table are all made here.
 */
final class SchemaTable {

    private SchemaTable() {
    }

    /** The table, as construct {@code schema.id()} under {@code scope}. */
    static Table declare(Construct scope, DeployConfig config, TableSchema schema) {
        Table table = Table.Builder.create(scope, schema.id())
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
}
