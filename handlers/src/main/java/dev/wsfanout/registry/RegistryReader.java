package dev.wsfanout.registry;

import dev.wsfanout.aws.DynamoValues;
import dev.wsfanout.model.Connection;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the registry the way a recount must: every row from a strongly consistent scan of the
 * connections table (the partition index is eventually consistent and lags behind the writes it
 * would be checked against), and every partition's count with strongly consistent reads.
 */
public final class RegistryReader {

    private static final int SCAN_PAGE = 1000;
    /** BatchGetItem's limit. */
    private static final int KEYS_PER_BATCH = 100;

    private final DynamoDbClient dynamo;
    private final FanoutConfig config;

    public RegistryReader(DynamoDbClient dynamo, FanoutConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    /** What the partitions table holds for every partition (index = partition id; 0 for none). */
    public record PartitionCounts(long[] counts, long[] changes) {
        public long total() {
            long sum = 0;
            for (long c : counts) {
                sum += c;
            }
            return sum;
        }
    }

    /** Calls {@code row} for every row, page by page, so memory stays flat at any table size. */
    public void forEachRow(Consumer<Connection> row) {
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder()
                    .tableName(config.connectionsTable())
                    .consistentRead(true)
                    .limit(SCAN_PAGE);
            if (startKey != null) {
                scan.exclusiveStartKey(startKey);
            }
            ScanResponse page = dynamo.scan(scan.build());
            page.items().forEach(item -> row.accept(ConnectionRegistry.fromItem(item)));
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
    }

    public PartitionCounts partitionCounts() {
        int n = config.partitionCount();
        long[] counts = new long[n + 1];
        long[] changes = new long[n + 1];
        for (int first = 1; first <= n; first += KEYS_PER_BATCH) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (int p = first; p < first + KEYS_PER_BATCH && p <= n; p++) {
                keys.add(Map.of(RegistryAttributes.PARTITION_ID, DynamoValues.number(p)));
            }
            Map<String, KeysAndAttributes> request = Map.of(config.partitionsTable(),
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(asked));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(config.partitionsTable(), List.of())) {
                    int p = Integer.parseInt(item.get(RegistryAttributes.PARTITION_ID).n());
                    counts[p] = numberOr0(item.get(RegistryAttributes.CONNECTION_COUNT));
                    changes[p] = numberOr0(item.get(RegistryAttributes.COUNT_CHANGES));
                }
                // Unprocessed keys come back under throttling; the SDK's retries have backed off already.
                request = response.hasUnprocessedKeys() ? new HashMap<>(response.unprocessedKeys()) : Map.of();
            }
        }
        return new PartitionCounts(counts, changes);
    }

    private static long numberOr0(AttributeValue value) {
        return value == null ? 0 : Long.parseLong(value.n());
    }
}
