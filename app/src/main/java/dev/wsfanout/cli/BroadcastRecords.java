package dev.wsfanout.cli;

import dev.wsfanout.model.BroadcastTally;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Optional;

/** Reads broadcast rows from the broadcasts table (the local stack's; the CLI does not read it on AWS). */
public final class BroadcastRecords {

    private final DynamoDbClient dynamo;
    private final String table;

    public BroadcastRecords(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public Optional<BroadcastRecord> read(String broadcastId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of("broadcastId", AttributeValue.fromS(broadcastId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** The row in DynamoDB's attribute-value form, as GetItem returns it (also inside history events). */
    static BroadcastRecord fromItem(Map<String, AttributeValue> item) {
        BroadcastTally tally = new BroadcastTally(number(item, "queued", 0L), number(item, "delivered", 0L),
                number(item, "gone", 0L), number(item, "failed", 0L), number(item, "retried", 0L));
        return new BroadcastRecord(tally, number(item, "partitions", 0L),
                number(item, "firstDeliveryAt", null), number(item, "lastDeliveryAt", null));
    }

    private static Long number(Map<String, AttributeValue> item, String name, Long absent) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? absent : Long.valueOf(v.n());
    }
}
