package dev.wsfanout.fanout;

import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.LedgerKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.wsfanout.aws.DynamoValues.number;

/**
 * A broadcast's counters: one tally item per ledger shard (deliveries table, entry {@code tally}),
 * summed on read. Each chunk's outcome is added to the tally of its marker's shard together with
 * the chunk's id, in one conditional write that refuses a chunk already in the tally's set: a
 * count whose response was lost, retried by the SDK or by a redelivered message, is never added
 * twice, and one that was not applied is added by the retry. The counts are exact by construction.
 *
 * <p>The broadcast record (broadcasts table) keeps the message and what the state machine writes
 * ({@code queued}, {@code partitions}); no chunk writes to it, so its size never slows the counts.
 */
public final class BroadcastTallies {

    private final DynamoDbClient dynamo;
    private final String broadcastsTable;
    private final String deliveriesTable;
    private final Clock clock;

    public BroadcastTallies(DynamoDbClient dynamo, String broadcastsTable, String deliveriesTable, Clock clock) {
        this.dynamo = dynamo;
        this.broadcastsTable = broadcastsTable;
        this.deliveriesTable = deliveriesTable;
        this.clock = clock;
    }

    /** What a broadcast's tallies and record say right now. */
    public record Snapshot(BroadcastTally tally, long partitions, long chunks, long countedChunks,
                           Long firstDeliveryAt, Long lastDeliveryAt) {
    }

    /**
     * Counts one chunk's outcome, once.
     *
     * @return true if this call added it, false if it was counted before
     */
    public boolean count(String broadcastId, String chunkId, BroadcastTally outcome, long firstPostMillis) {
        long now = clock.millis();
        try {
            dynamo.updateItem(r -> r.tableName(deliveriesTable)
                    .key(tallyKey(LedgerKeys.tallyShardKeyOfChunk(broadcastId, chunkId)))
                    .updateExpression("ADD delivered :d, gone :g, failed :f, retried :r, countedChunks :one, counted :chunk "
                            + "SET lastDeliveryAt = :now, firstDeliveryAt = if_not_exists(firstDeliveryAt, :first), "
                            + FanoutSchema.EXPIRES_AT + " = if_not_exists(" + FanoutSchema.EXPIRES_AT + ", :expires)")
                    .conditionExpression("NOT contains(counted, :id)")
                    .expressionAttributeValues(Map.of(
                            ":d", number(outcome.delivered()),
                            ":g", number(outcome.gone()),
                            ":f", number(outcome.failed()),
                            ":r", number(outcome.retried()),
                            ":one", number(1),
                            ":chunk", AttributeValue.fromSs(List.of(chunkId)),
                            ":id", AttributeValue.fromS(chunkId),
                            ":now", number(now),
                            ":first", number(firstPostMillis),
                            ":expires", number(now / 1000 + DeliveryLedger.RETENTION_SECONDS))));
            return true;
        } catch (ConditionalCheckFailedException alreadyCounted) {
            return false;
        }
    }

    /** Whether a chunk's outcome is in its tally: the chunk is settled. */
    public boolean isCounted(String broadcastId, String chunkId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(deliveriesTable)
                .key(tallyKey(LedgerKeys.tallyShardKeyOfChunk(broadcastId, chunkId)))
                .projectionExpression("counted").consistentRead(true)).item();
        AttributeValue counted = item == null ? null : item.get("counted");
        return counted != null && counted.hasSs() && counted.ss().contains(chunkId);
    }

    /** The sum of the broadcast's tallies and its record's fan-out figures; empty if it has no record. */
    public Optional<Snapshot> read(String broadcastId) {
        List<Map<String, AttributeValue>> tallyKeys = new ArrayList<>();
        for (int shard = 0; shard < LedgerKeys.SHARDS; shard++) {
            tallyKeys.add(tallyKey(LedgerKeys.shardKey(broadcastId, shard)));
        }
        Map<String, KeysAndAttributes> request = new HashMap<>();
        request.put(deliveriesTable, KeysAndAttributes.builder().keys(tallyKeys).consistentRead(true)
                .projectionExpression("delivered, gone, failed, retried, countedChunks, firstDeliveryAt, lastDeliveryAt").build());
        request.put(broadcastsTable, KeysAndAttributes.builder()
                .keys(List.of(Map.of(FanoutSchema.BROADCAST_ID, AttributeValue.fromS(broadcastId)))).consistentRead(true)
                .projectionExpression("queued, #p, chunks").expressionAttributeNames(Map.of("#p", "partitions")).build());
        Map<String, List<Map<String, AttributeValue>>> items = new HashMap<>();
        while (!request.isEmpty()) {
            Map<String, KeysAndAttributes> ask = request;
            BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(ask));
            response.responses().forEach((table, found) -> items.computeIfAbsent(table, t -> new ArrayList<>()).addAll(found));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        List<Map<String, AttributeValue>> record = items.getOrDefault(broadcastsTable, List.of());
        if (record.isEmpty()) {
            return Optional.empty();
        }
        long delivered = 0, gone = 0, failed = 0, retried = 0, counted = 0;
        Long first = null, last = null;
        for (Map<String, AttributeValue> tally : items.getOrDefault(deliveriesTable, List.of())) {
            delivered += n(tally, "delivered");
            gone += n(tally, "gone");
            failed += n(tally, "failed");
            retried += n(tally, "retried");
            counted += n(tally, "countedChunks");
            first = min(first, optional(tally, "firstDeliveryAt"));
            last = max(last, optional(tally, "lastDeliveryAt"));
        }
        Map<String, AttributeValue> fanout = record.get(0);
        return Optional.of(new Snapshot(new BroadcastTally(n(fanout, "queued"), delivered, gone, failed, retried),
                n(fanout, "partitions"), n(fanout, "chunks"), counted, first, last));
    }

    private static Map<String, AttributeValue> tallyKey(String shardKey) {
        return Map.of(LedgerKeys.SHARD_KEY, AttributeValue.fromS(shardKey), LedgerKeys.ENTRY, AttributeValue.fromS(LedgerKeys.TALLY_ENTRY));
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        Long v = optional(item, name);
        return v == null ? 0 : v;
    }

    private static Long optional(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.valueOf(v.n());
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Math.min(a, b);
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }
}
