package dev.wsfanout.bench;

import dev.wsfanout.model.LedgerKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.TreeMap;

/**
 * Why connections were counted failed, from the chunk markers of the ledger (each keeps its failed
 * ids and one reason, e.g. {@code after 4 attempt(s): 429 LimitExceededException}): so a run whose
 * clients were missed says which step gave up on them.
 */
final class FailedDeliveries {

    private FailedDeliveries() {
    }

    /** Failed connection ids per reason, over every chunk marker of {@code broadcastId}. */
    static Map<String, Long> byReason(DynamoDbClient dynamo, String deliveriesTable, String broadcastId) {
        Map<String, Long> failed = new TreeMap<>();
        for (int shard = 0; shard < LedgerKeys.SHARDS; shard++) {
            String key = LedgerKeys.shardKey(broadcastId, shard);
            dynamo.queryPaginator(r -> r.tableName(deliveriesTable).consistentRead(true)
                            .keyConditionExpression("#k = :k AND begins_with(#e, :chunk)")
                            .expressionAttributeNames(Map.of("#k", LedgerKeys.SHARD_KEY, "#e", LedgerKeys.ENTRY))
                            .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(key),
                                    ":chunk", AttributeValue.fromS(LedgerKeys.chunkEntry("")))))
                    .items().forEach(marker -> {
                        AttributeValue ids = marker.get("failedIds");
                        int n = ids == null || !ids.hasL() ? 0 : ids.l().size();
                        if (n > 0) {
                            AttributeValue reason = marker.get("reason");
                            failed.merge(reason == null ? "(no reason)" : reason.s(), (long) n, Long::sum);
                        }
                    });
        }
        return failed;
    }
}
