package dev.wsfanout.registry;

import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.LedgerKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.List;

/**
 * The four tables as the local runtime and the tests create them (the CDK stack declares the same
 * layout for AWS). See docs/contracts.md for the attributes.
 */
public final class FanoutTables {

    private final DynamoDbClient dynamo;
    private final FanoutConfig config;

    public FanoutTables(DynamoDbClient dynamo, FanoutConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    /** Creates every table that does not exist yet and waits until all are active. */
    public void createAll() {
        List<CreateTableRequest> requests = List.of(connections(), partitions(), broadcasts(), deliveries());
        for (CreateTableRequest request : requests) {
            try {
                dynamo.createTable(request);
            } catch (ResourceInUseException alreadyThere) {
                // a restarted local stack finds its tables: nothing to do
            }
        }
        for (CreateTableRequest request : requests) {
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(request.tableName()));
        }
    }

    private CreateTableRequest connections() {
        return CreateTableRequest.builder()
                .tableName(config.connectionsTable())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(RegistryAttributes.CONNECTION_ID, ScalarAttributeType.S),
                        attribute(RegistryAttributes.PARTITION_ID, ScalarAttributeType.N))
                .keySchema(key(RegistryAttributes.CONNECTION_ID, KeyType.HASH))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(config.partitionIndex())
                        .keySchema(key(RegistryAttributes.PARTITION_ID, KeyType.HASH),
                                key(RegistryAttributes.CONNECTION_ID, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .build();
    }

    private CreateTableRequest partitions() {
        return CreateTableRequest.builder()
                .tableName(config.partitionsTable())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute(RegistryAttributes.PARTITION_ID, ScalarAttributeType.N))
                .keySchema(key(RegistryAttributes.PARTITION_ID, KeyType.HASH))
                .build();
    }

    private CreateTableRequest broadcasts() {
        return CreateTableRequest.builder()
                .tableName(config.broadcastsTable())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("broadcastId", ScalarAttributeType.S))
                .keySchema(key("broadcastId", KeyType.HASH))
                .build();
    }

    private CreateTableRequest deliveries() {
        return CreateTableRequest.builder()
                .tableName(config.deliveriesTable())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute(LedgerKeys.SHARD_KEY, ScalarAttributeType.S),
                        attribute(LedgerKeys.ENTRY, ScalarAttributeType.S))
                .keySchema(key(LedgerKeys.SHARD_KEY, KeyType.HASH), key(LedgerKeys.ENTRY, KeyType.RANGE))
                .build();
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
