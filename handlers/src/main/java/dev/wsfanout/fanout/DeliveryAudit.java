package dev.wsfanout.fanout;

import dev.wsfanout.model.AuditReport;
import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.LedgerKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers the state machine's audit questions. A poll sums the tallies of the ledger's shards. A recount reads a
 * broadcast's whole ledger — the persisted plan, every chunk marker, the tallies' counted sets —
 * and derives the counts from the markers alone: which connections were meant to get the message
 * (the plan, plus the retry chunks that posted markers name), which of them have an outcome, and
 * which chunks have none yet, with their state.
 */
public final class DeliveryAudit {

    private final DynamoDbClient dynamo;
    private final String deliveriesTable;
    private final BroadcastTallies tallies;

    public DeliveryAudit(DynamoDbClient dynamo, String deliveriesTable, BroadcastTallies tallies) {
        this.dynamo = dynamo;
        this.deliveriesTable = deliveriesTable;
        this.tallies = tallies;
    }

    /** The tallies' sum; an unknown broadcast has zero counts. */
    public AuditReport poll(String broadcastId) {
        BroadcastTallies.Snapshot s = snapshot(broadcastId);
        return new AuditReport(s.tally().queued(), s.partitions(), s.tally().delivered(), s.tally().gone(), s.tally().failed(),
                s.tally().retried(), s.countedChunks(), s.firstDeliveryAt(), s.lastDeliveryAt(), -1, false, 0, 0, List.of());
    }

    private BroadcastTallies.Snapshot snapshot(String broadcastId) {
        return tallies.read(broadcastId).orElse(new BroadcastTallies.Snapshot(BroadcastTally.ZERO, 0, 0, 0, null, null));
    }

    /** A recount from the ledger (see the class comment). */
    public AuditReport recount(String broadcastId) {
        Map<String, Long> expected = new LinkedHashMap<>();
        Map<String, ChunkOutcome> posted = new HashMap<>();
        Set<String> claimed = new HashSet<>();
        Set<String> counted = new HashSet<>();
        long planned = 0;
        for (int shard = 0; shard < LedgerKeys.SHARDS; shard++) {
            for (Map<String, AttributeValue> item : shardItems(LedgerKeys.shardKey(broadcastId, shard))) {
                String entry = item.get(LedgerKeys.ENTRY).s();
                if (LedgerKeys.isPlanEntry(entry)) {
                    for (PlannedChunk chunk : PlanStore.fromItem(entry, item).chunks()) {
                        expected.put(chunk.chunkId(), (long) chunk.connectionIds().size());
                        planned += chunk.connectionIds().size();
                    }
                } else if (LedgerKeys.isChunkEntry(entry)) {
                    String chunkId = LedgerKeys.chunkIdOf(entry);
                    if (DeliveryLedger.isPosted(item)) {
                        posted.put(chunkId, DeliveryLedger.outcomeOf(item));
                    } else {
                        claimed.add(chunkId);
                    }
                } else if (LedgerKeys.TALLY_ENTRY.equals(entry) && item.containsKey("counted")) {
                    counted.addAll(item.get("counted").ss());
                }
            }
        }
        // Retry, throttled and carry-over chunks are not in the plan: the posted marker of their parent names them.
        posted.forEach((chunkId, outcome) -> {
            if (!outcome.retryIds().isEmpty()) {
                expected.put(DeliveryChunk.retryChunkId(chunkId), (long) outcome.retryIds().size());
            }
            if (!outcome.throttledIds().isEmpty()) {
                expected.put(DeliveryChunk.throttledChunkId(chunkId), (long) outcome.throttledIds().size());
            }
            if (!outcome.untriedIds().isEmpty()) {
                expected.put(DeliveryChunk.carryOverChunkId(chunkId), (long) outcome.untriedIds().size());
            }
        });

        BroadcastTally total = BroadcastTally.ZERO;
        List<AuditReport.UnsettledChunk> unsettled = new ArrayList<>();
        long unsettledChunks = 0;
        long unsettledConnections = 0;
        long countedChunks = 0;
        for (Map.Entry<String, Long> chunk : expected.entrySet()) {
            String chunkId = chunk.getKey();
            ChunkOutcome outcome = posted.get(chunkId);
            if (outcome != null) {
                total = total.plus(outcome.tally());
            }
            boolean isCounted = counted.contains(chunkId);
            if (isCounted) {
                countedChunks++;
                continue;
            }
            String state = outcome != null ? "posted" : claimed.contains(chunkId) ? "claimed" : "queued";
            if (outcome == null) {
                unsettledConnections += chunk.getValue();
            }
            unsettledChunks++;
            if (unsettled.size() < AuditReport.LISTED) {
                unsettled.add(new AuditReport.UnsettledChunk(chunkId, chunk.getValue(), state));
            }
        }
        // Complete when every expected chunk has a saved outcome: a count still pending cannot change it.
        boolean complete = expected.keySet().stream().allMatch(posted::containsKey);
        BroadcastTallies.Snapshot s = snapshot(broadcastId);
        return new AuditReport(s.tally().queued(), s.partitions(), total.delivered(), total.gone(), total.failed(), total.retried(),
                countedChunks, s.firstDeliveryAt(), s.lastDeliveryAt(), planned, complete, unsettledChunks, unsettledConnections, unsettled);
    }

    private List<Map<String, AttributeValue>> shardItems(String shardKey) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(deliveriesTable).consistentRead(true)
                    .keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", LedgerKeys.SHARD_KEY))
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(shardKey)));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(query.build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
