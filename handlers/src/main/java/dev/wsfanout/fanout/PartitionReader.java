package dev.wsfanout.fanout;

import dev.wsfanout.registry.RegistryAttributes;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a partition's connection ids from the partition index one page at a time, in id order
 * (the index's sort key), so a page can be resumed after any id a stored plan names.
 */
public final class PartitionReader {

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final String index;

    public PartitionReader(DynamoDbAsyncClient dynamo, String table, String index) {
        this.dynamo = dynamo;
        this.table = table;
        this.index = index;
    }

    /** One page of a partition's ids; {@code last} when the partition has no more. */
    public record Page(List<String> ids, boolean last) {
        public Page {
            ids = List.copyOf(ids);
        }
    }

    /** Up to {@code pageSize} ids of {@code partitionId} after {@code afterId} (null: from the start). */
    public CompletableFuture<Page> page(int partitionId, String afterId, int pageSize) {
        AttributeValue partition = AttributeValue.fromN(Integer.toString(partitionId));
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(table)
                .indexName(index)
                .keyConditionExpression("partitionId = :p")
                .expressionAttributeValues(Map.of(":p", partition))
                .projectionExpression(RegistryAttributes.CONNECTION_ID)
                .limit(pageSize);
        if (afterId != null) {
            query.exclusiveStartKey(Map.of(RegistryAttributes.PARTITION_ID, partition,
                    RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(afterId)));
        }
        return dynamo.query(query.build()).thenApply(page -> new Page(
                page.items().stream().map(item -> item.get(RegistryAttributes.CONNECTION_ID).s()).toList(),
                !page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()));
    }
}
