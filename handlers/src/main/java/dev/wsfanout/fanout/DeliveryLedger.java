package dev.wsfanout.fanout;

import dev.wsfanout.model.BroadcastTally;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One marker per delivery chunk and broadcast (deliveries table): "started" while an invocation
 * holds it, "done" once its posts are settled. The marker is what turns SQS's at-least-once
 * delivery, and the Map's reruns of a query batch, into at-most-once posting per chunk: a chunk
 * whose marker is done is skipped, and one that another invocation holds (its lease not yet run
 * out) is handed back to SQS for later.
 */
public final class DeliveryLedger {

    /** How long markers and failure records are kept after a broadcast: its audit window. */
    private static final long RETENTION_SECONDS = 7 * 24 * 3600;
    static final String FAILED_PREFIX = "failed#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    /** What {@link #begin} found. */
    public enum Claim { CLAIMED, ALREADY_DONE, HELD_ELSEWHERE }

    public DeliveryLedger(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Claims a chunk for {@code leaseMillis}. A claim left behind by a crashed invocation expires
     * with its lease, and the redelivered message claims it again.
     */
    public Claim begin(String broadcastId, String chunkId, long leaseMillis) {
        long now = clock.millis();
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(key(broadcastId, chunkId))
                    .updateExpression("SET #s = :started, leaseUntil = :lease, expiresAt = :expires")
                    .conditionExpression("attribute_not_exists(#s) OR (#s = :started AND leaseUntil < :now)")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(
                            ":started", AttributeValue.fromS("started"),
                            ":lease", number(now + leaseMillis),
                            ":now", number(now),
                            ":expires", number(now / 1000 + RETENTION_SECONDS))));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException taken) {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(broadcastId, chunkId))
                    .consistentRead(true)).item();
            AttributeValue state = item == null ? null : item.get("state");
            return state != null && "done".equals(state.s()) ? Claim.ALREADY_DONE : Claim.HELD_ELSEWHERE;
        }
    }

    /**
     * Marks the chunk done with its outcome.
     *
     * @return false if another invocation already finished it (then its tally must not be added again)
     */
    public boolean finish(String broadcastId, String chunkId, BroadcastTally outcome) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(key(broadcastId, chunkId))
                    .updateExpression("SET #s = :done, delivered = :d, gone = :g, failed = :f, retried = :r")
                    .conditionExpression("#s = :started")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(
                            ":done", AttributeValue.fromS("done"),
                            ":started", AttributeValue.fromS("started"),
                            ":d", number(outcome.delivered()),
                            ":g", number(outcome.gone()),
                            ":f", number(outcome.failed()),
                            ":r", number(outcome.retried()))));
            return true;
        } catch (ConditionalCheckFailedException finishedElsewhere) {
            return false;
        }
    }

    /**
     * Gives up a claim at once, when this invocation knows it will not finish the chunk, so the
     * redelivered message need not wait for the lease to run out.
     */
    public void release(String broadcastId, String chunkId) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(key(broadcastId, chunkId))
                    .updateExpression("SET leaseUntil = :zero")
                    .conditionExpression("#s = :started")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(":zero", number(0), ":started", AttributeValue.fromS("started"))));
        } catch (RuntimeException bestEffort) {
            // The lease runs out on its own; releasing early only saves the wait.
        }
    }

    /** Keeps the ids a broadcast could not deliver, and why, where the audit can list them. */
    public void recordFailures(String broadcastId, String chunkId, List<String> connectionIds, String reason) {
        long now = clock.millis();
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                "broadcastId", AttributeValue.fromS(broadcastId),
                "chunkId", AttributeValue.fromS(FAILED_PREFIX + chunkId),
                "connectionIds", AttributeValue.fromL(connectionIds.stream().map(AttributeValue::fromS).toList()),
                "reason", AttributeValue.fromS(reason),
                "recordedAt", number(now),
                "expiresAt", number(now / 1000 + RETENTION_SECONDS))));
    }

    private static Map<String, AttributeValue> key(String broadcastId, String chunkId) {
        return Map.of("broadcastId", AttributeValue.fromS(broadcastId), "chunkId", AttributeValue.fromS(chunkId));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
