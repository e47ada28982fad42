package dev.wsfanout.fanout;

import dev.wsfanout.model.BroadcastTally;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The counters of the broadcasts table. They move with one ADD per processed chunk — never per
 * connection — which keeps writes to the single broadcast item at a hundredth of the post rate.
 */
public final class BroadcastTallies {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public BroadcastTallies(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Adds one chunk's outcome and stamps the first and last delivery times.
     *
     * @throws UnknownBroadcastException if the broadcast has no record (it was never started, or
     *         its record was deleted): the counts would otherwise create a record with no message
     */
    public void add(String broadcastId, BroadcastTally outcome, long firstPostMillis) {
        long now = clock.millis();
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of("broadcastId", AttributeValue.fromS(broadcastId)))
                    .updateExpression("ADD delivered :d, gone :g, failed :f, retried :r "
                            + "SET lastDeliveryAt = :now, firstDeliveryAt = if_not_exists(firstDeliveryAt, :first)")
                    .conditionExpression("attribute_exists(broadcastId)")
                    .expressionAttributeValues(Map.of(
                            ":d", number(outcome.delivered()),
                            ":g", number(outcome.gone()),
                            ":f", number(outcome.failed()),
                            ":r", number(outcome.retried()),
                            ":now", number(now),
                            ":first", number(firstPostMillis))));
        } catch (ConditionalCheckFailedException missing) {
            throw new UnknownBroadcastException(broadcastId, table);
        }
    }

    /** Creates a broadcast record as the state machine does; {@code requestJson} is the execution input. */
    public void create(String broadcastId, String requestJson) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                "broadcastId", AttributeValue.fromS(broadcastId),
                "request", AttributeValue.fromS(requestJson),
                "createdAt", AttributeValue.fromS(clock.instant().toString()),
                "queued", number(0), "delivered", number(0), "gone", number(0),
                "failed", number(0), "retried", number(0))));
    }

    /** Records how many connections the query step queued. */
    public void setQueued(String broadcastId, long queued) {
        dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of("broadcastId", AttributeValue.fromS(broadcastId)))
                .updateExpression("SET queued = :q")
                .expressionAttributeValues(Map.of(":q", number(queued))));
    }

    public Optional<BroadcastTally> read(String broadcastId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of("broadcastId", AttributeValue.fromS(broadcastId))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BroadcastTally(n(item, "queued"), n(item, "delivered"), n(item, "gone"),
                n(item, "failed"), n(item, "retried")));
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** A chunk names a broadcast the broadcasts table does not know. */
    public static final class UnknownBroadcastException extends IllegalStateException {
        public UnknownBroadcastException(String broadcastId, String table) {
            super("UnknownBroadcast: broadcast " + broadcastId + " has no record in table " + table
                    + "; its deliveries were made but cannot be counted");
        }
    }
}
