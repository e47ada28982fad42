package dev.wsfanout.local.dynamo;

import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.FanoutSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.Map;

/**
 * Writes a broadcast's record (broadcasts table) as the state machine's CreateBroadcast and
 * RecordQueued states do, for the runs that drive the fan-out without the state machine (the
 * local stack's fan-out runner, the benchmarks, the handlers' tests). The handlers only read
 * these records, so this lives outside the Lambda jar.
 */
public final class BroadcastRecordWriter {

    private final DynamoDbClient dynamo;
    private final String broadcastsTable;
    private final Clock clock;

    public BroadcastRecordWriter(DynamoDbClient dynamo, String broadcastsTable, Clock clock) {
        this.dynamo = dynamo;
        this.broadcastsTable = broadcastsTable;
        this.clock = clock;
    }

    /** The writer of {@code config}'s broadcasts table, stamping records with the system clock. */
    public BroadcastRecordWriter(DynamoDbClient dynamo, FanoutConfig config) {
        this(dynamo, config.broadcastsTable(), Clock.systemUTC());
    }

    /** Creates a broadcast record as the state machine's CreateBroadcast does. */
    public void create(String broadcastId, String messageJson) {
        dynamo.putItem(r -> r.tableName(broadcastsTable).item(Map.of(
                FanoutSchema.BROADCAST_ID, AttributeValue.fromS(broadcastId),
                "message", AttributeValue.fromS(messageJson),
                "createdAt", AttributeValue.fromS(clock.instant().toString()))));
    }

    /** Records what the fan-out queued, as the state machine's RecordQueued does. */
    public void setQueued(String broadcastId, long queued, long partitions, long chunks) {
        dynamo.updateItem(r -> r.tableName(broadcastsTable)
                .key(Map.of(FanoutSchema.BROADCAST_ID, AttributeValue.fromS(broadcastId)))
                .updateExpression("SET queued = :q, #p = :p, chunks = :c")
                .expressionAttributeNames(Map.of("#p", "partitions"))
                .expressionAttributeValues(Map.of(":q", AttributeValue.fromN(Long.toString(queued)),
                        ":p", AttributeValue.fromN(Long.toString(partitions)),
                        ":c", AttributeValue.fromN(Long.toString(chunks)))));
    }
}
