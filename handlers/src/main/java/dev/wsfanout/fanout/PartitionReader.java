package dev.wsfanout.fanout;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Reads one partition's connection ids from the partition index, one page at a time. The next
 * page is requested only after the consumer's future for the current page completes, so a
 * partition of any size never holds more than a page in memory.
 */
public final class PartitionReader {

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final String index;
    private final int pageSize;

    public PartitionReader(DynamoDbAsyncClient dynamo, String table, String index, int pageSize) {
        this.dynamo = dynamo;
        this.table = table;
        this.index = index;
        this.pageSize = pageSize;
    }

    /** One page of a partition's ids; {@code first} and {@code last} tell where it stands. */
    public record Page(List<String> ids, boolean first, boolean last) {
        /** The whole partition in one page. */
        public boolean whole() {
            return first && last;
        }
    }

    /**
     * Feeds every page of {@code partitionId} to {@code onPage}; completes when the last page was consumed.
     *
     * @return the number of ids read
     */
    public CompletableFuture<Long> read(int partitionId, Function<Page, CompletableFuture<Void>> onPage) {
        return readFrom(partitionId, null, onPage, 0L);
    }

    private CompletableFuture<Long> readFrom(int partitionId, Map<String, AttributeValue> startKey,
                                             Function<Page, CompletableFuture<Void>> onPage, long soFar) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(table)
                .indexName(index)
                .keyConditionExpression("partitionId = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromN(Integer.toString(partitionId))))
                .projectionExpression("connectionId")
                .limit(pageSize);
        if (startKey != null) {
            query.exclusiveStartKey(startKey);
        }
        return dynamo.query(query.build()).thenCompose(page -> {
            List<String> ids = page.items().stream().map(item -> item.get("connectionId").s()).toList();
            boolean more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
            long total = soFar + ids.size();
            CompletableFuture<Void> consumed = onPage.apply(new Page(ids, startKey == null, !more));
            return consumed.thenCompose(done -> more
                    ? readFrom(partitionId, page.lastEvaluatedKey(), onPage, total)
                    : CompletableFuture.completedFuture(total));
        });
    }
}
