package dev.wsfanout.fanout;

import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.LedgerKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Persists the query step's plan entries in the deliveries table, first writer wins. A proposal is
 * written only if no entry of that scope exists; otherwise the stored entry is returned and the
 * caller sends that instead. This is what makes a rerun of a batch (by the Map's Retry, or a
 * first attempt that is still running) send exactly the chunks the first attempt planned.
 */
public final class PlanStore {

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final Clock clock;

    public PlanStore(DynamoDbAsyncClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** Stores {@code proposal} unless an entry of its scope exists; completes with the entry that is stored. */
    public CompletableFuture<PlanEntry> putOrGet(String broadcastId, PlanEntry proposal) {
        Map<String, AttributeValue> key = key(broadcastId, proposal.scope());
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("chunkIds", AttributeValue.fromL(proposal.chunks().stream().map(c -> AttributeValue.fromS(c.chunkId())).toList()));
        item.put("chunks", AttributeValue.fromL(proposal.chunks().stream()
                .map(c -> AttributeValue.fromL(c.connectionIds().stream().map(AttributeValue::fromS).toList())).toList()));
        item.put("connections", AttributeValue.fromN(Long.toString(proposal.connections())));
        item.put("last", AttributeValue.fromBool(proposal.last()));
        if (proposal.cursor() != null) {
            item.put("cursor", AttributeValue.fromS(proposal.cursor()));
        }
        item.put("packed", AttributeValue.fromL(proposal.packed().stream().map(p -> AttributeValue.fromN(Integer.toString(p))).toList()));
        item.put(FanoutSchema.EXPIRES_AT, AttributeValue.fromN(Long.toString(clock.millis() / 1000 + DeliveryLedger.RETENTION_SECONDS)));
        return dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#e)")
                        .expressionAttributeNames(Map.of("#e", LedgerKeys.ENTRY)))
                .thenApply(ok -> proposal)
                .exceptionallyCompose(error -> unwrap(error) instanceof ConditionalCheckFailedException
                        ? stored(key, proposal.scope())
                        : CompletableFuture.failedFuture(unwrap(error)));
    }

    private CompletableFuture<PlanEntry> stored(Map<String, AttributeValue> key, String scope) {
        return dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).thenApply(response -> {
            if (!response.hasItem() || response.item().isEmpty()) {
                throw new IllegalStateException("plan entry " + scope + " failed its first-writer condition but cannot be read back");
            }
            return fromItem(scope, response.item());
        });
    }

    static PlanEntry fromItem(String scope, Map<String, AttributeValue> item) {
        List<AttributeValue> ids = item.get("chunkIds").l();
        List<AttributeValue> members = item.get("chunks").l();
        List<PlannedChunk> chunks = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            chunks.add(new PlannedChunk(ids.get(i).s(), members.get(i).l().stream().map(AttributeValue::s).toList()));
        }
        AttributeValue cursor = item.get("cursor");
        return new PlanEntry(scope, chunks, Boolean.TRUE.equals(item.get("last").bool()), cursor == null ? null : cursor.s(),
                item.get("packed").l().stream().map(v -> Integer.parseInt(v.n())).toList());
    }

    private static Map<String, AttributeValue> key(String broadcastId, String scope) {
        String entry = LedgerKeys.planEntry(scope);
        return Map.of(LedgerKeys.SHARD_KEY, AttributeValue.fromS(LedgerKeys.shardKeyOf(broadcastId, entry)),
                LedgerKeys.ENTRY, AttributeValue.fromS(entry));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
