package dev.wsfanout.local.dynamo;

import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.List;

/**
 * Creates tables from their {@link TableSchema} on a local DynamoDB (the local stack's and the
 * tests'); the CDK stack declares the same schemas for AWS. Dynalite expires nothing, so the TTL
 * attribute is not set here.
 */
public final class LocalTables {

    private LocalTables() {
    }

    /** Creates wsfanout's four tables as {@code config} names them; see {@link #create}. */
    public static void createAll(DynamoDbClient dynamo, FanoutConfig config) {
        create(dynamo, FanoutSchema.of(config).all());
    }

    /** Creates every table that does not exist yet and waits until all are active. */
    public static void create(DynamoDbClient dynamo, List<TableSchema> tables) {
        List<CreateTableRequest> requests = tables.stream().map(LocalTables::request).toList();
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

    /** The CreateTable request of one schema (on-demand). */
    public static CreateTableRequest request(TableSchema table) {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table.tableName())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(table.keyAttributes().stream().map(LocalTables::definition).toList())
                .keySchema(keySchema(table.partitionKey(), table.sortKey()));
        if (!table.globalIndexes().isEmpty()) {
            request.globalSecondaryIndexes(table.globalIndexes().stream().map(index -> GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(keySchema(index.partitionKey(), index.sortKey()))
                    .projection(p -> p.projectionType(ProjectionType.fromValue(index.projection().name())))
                    .build()).toList());
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(TableSchema.Key partitionKey, TableSchema.Key sortKey) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(partitionKey.name()).keyType(KeyType.HASH).build());
        if (sortKey != null) {
            keys.add(KeySchemaElement.builder().attributeName(sortKey.name()).keyType(KeyType.RANGE).build());
        }
        return keys;
    }

    private static AttributeDefinition definition(TableSchema.Key key) {
        return AttributeDefinition.builder().attributeName(key.name())
                .attributeType(ScalarAttributeType.fromValue(key.type().code())).build();
    }
}
