package dev.wsfanout.registry;

import dev.wsfanout.model.FanoutConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the registry honest, page by page so memory stays flat at any table size:
 * <ol>
 *   <li>deletes connections whose {@code expiresAt} has passed — API Gateway closed them at 2 h
 *       and their $disconnect never arrived (DynamoDB's own TTL may take up to 48 h);</li>
 *   <li>recounts every partition from the partition index and repairs counts that drifted, e.g.
 *       after a crash between the two writes of a connect or disconnect. A connect or disconnect
 *       in progress also shows as drift for a few milliseconds (its row is written, its count not
 *       yet), so a partition is repaired only if it still disagrees, with the same recorded count,
 *       after a settle delay; and the repair is conditional on that count, so it never overwrites
 *       a concurrent change.</li>
 * </ol>
 */
public final class StaleConnectionSweeper {

    private final DynamoDbClient dynamo;
    private final FanoutConfig config;
    private final Clock clock;
    private final Duration settle;

    public StaleConnectionSweeper(DynamoDbClient dynamo, FanoutConfig config, Clock clock) {
        this(dynamo, config, clock, DEFAULT_SETTLE);
    }

    public StaleConnectionSweeper(DynamoDbClient dynamo, FanoutConfig config, Clock clock, Duration settle) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
        this.settle = settle;
    }

    /** Far longer than the gap between a connect's (or disconnect's) two writes. */
    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(2);

    /** What one sweep did. */
    public record SweepReport(long expiredRemoved, int partitionsChecked, int partitionsRepaired,
                              List<Repair> repairs, long connectionsCounted) {
    }

    /** One repaired partition: the count it held and the count the index shows. */
    public record Repair(int partitionId, long was, long now) {
    }

    public SweepReport sweep() {
        long expired = removeExpired();
        List<Repair> drifted = new ArrayList<>();
        long counted = 0;
        for (int partition = 1; partition <= config.partitionCount(); partition++) {
            long actual = countInIndex(partition);
            counted += actual;
            long recorded = recordedCount(partition);
            if (actual != recorded) {
                drifted.add(new Repair(partition, recorded, actual));
            }
        }
        List<Repair> repairs = new ArrayList<>();
        if (!drifted.isEmpty()) {
            pause(settle);
            for (Repair seen : drifted) {
                long recorded = recordedCount(seen.partitionId());
                long actual = countInIndex(seen.partitionId());
                if (recorded == seen.was() && actual != recorded && repair(seen.partitionId(), recorded, actual)) {
                    repairs.add(new Repair(seen.partitionId(), recorded, actual));
                    counted += actual - seen.now();
                }
            }
        }
        return new SweepReport(expired, config.partitionCount(), repairs.size(), List.copyOf(repairs), counted);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long removeExpired() {
        long now = clock.instant().getEpochSecond();
        long removed = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder()
                    .tableName(config.connectionsTable())
                    .projectionExpression("#id, " + RegistryAttributes.EXPIRES_AT)
                    .filterExpression(RegistryAttributes.EXPIRES_AT + " < :now")
                    .expressionAttributeNames(Map.of("#id", RegistryAttributes.CONNECTION_ID))
                    .expressionAttributeValues(Map.of(":now", ConnectionRegistry.number(now)))
                    .limit(500);
            if (startKey != null) {
                scan.exclusiveStartKey(startKey);
            }
            ScanResponse page = dynamo.scan(scan.build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (deleteIfStillExpired(item.get(RegistryAttributes.CONNECTION_ID), now)) {
                    removed++;
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return removed;
    }

    /** The condition keeps a row that a reconnect refreshed between the scan and the delete. */
    private boolean deleteIfStillExpired(AttributeValue connectionId, long now) {
        try {
            dynamo.deleteItem(r -> r.tableName(config.connectionsTable())
                    .key(Map.of(RegistryAttributes.CONNECTION_ID, connectionId))
                    .conditionExpression(RegistryAttributes.EXPIRES_AT + " < :now")
                    .expressionAttributeValues(Map.of(":now", ConnectionRegistry.number(now))));
            return true;
        } catch (ConditionalCheckFailedException refreshed) {
            return false;
        }
    }

    private long countInIndex(int partition) {
        long count = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder()
                    .tableName(config.connectionsTable())
                    .indexName(config.partitionIndex())
                    .keyConditionExpression(RegistryAttributes.PARTITION_ID + " = :p")
                    .expressionAttributeValues(Map.of(":p", ConnectionRegistry.number(partition)))
                    .select(Select.COUNT);
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            var page = dynamo.query(query.build());
            count += page.count();
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return count;
    }

    private long recordedCount(int partition) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.partitionsTable())
                .key(Map.of(RegistryAttributes.PARTITION_ID, ConnectionRegistry.number(partition)))
                .consistentRead(true)).item();
        AttributeValue count = item == null ? null : item.get(RegistryAttributes.CONNECTION_COUNT);
        return count == null ? 0 : Long.parseLong(count.n());
    }

    private boolean repair(int partition, long recorded, long actual) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":actual", ConnectionRegistry.number(actual));
        String condition;
        if (recorded == 0) {
            condition = "attribute_not_exists(" + RegistryAttributes.CONNECTION_COUNT + ") OR "
                    + RegistryAttributes.CONNECTION_COUNT + " = :recorded";
        } else {
            condition = RegistryAttributes.CONNECTION_COUNT + " = :recorded";
        }
        values.put(":recorded", ConnectionRegistry.number(recorded));
        try {
            dynamo.updateItem(r -> r.tableName(config.partitionsTable())
                    .key(Map.of(RegistryAttributes.PARTITION_ID, ConnectionRegistry.number(partition)))
                    .updateExpression("SET " + RegistryAttributes.CONNECTION_COUNT + " = :actual")
                    .conditionExpression(condition)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException movedMeanwhile) {
            return false;
        }
    }
}
