package dev.wsfanout.cells;

import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.Retention;
import dev.wsfanout.model.StreamHistory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.Map;

/**
 * The cross-cell broadcast's numbers, claimed in the home Region's history table the way a cell's
 * state machine claims its own (docs/resume.md): an entry per number, written only if the number is
 * free or already this broadcast's, so numbers have no holes; then the head hint moves up. Every cell
 * then takes the number it is given, so a client's numbers mean the same in every cell.
 */
public final class GlobalSequence {

    private final DynamoDbClient dynamo;
    private final String table;

    public GlobalSequence(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Where a claim starts: one past the head hint (1 for an empty history). */
    public long next() {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(StreamHistory.HEAD_SEQ))).item();
        AttributeValue head = item == null ? null : item.get(StreamHistory.HEAD);
        return head == null ? 1 : Long.parseLong(head.n()) + 1;
    }

    /** The first number from {@code from} that is free or already {@code broadcastId}'s. */
    public long claimFrom(long from, String broadcastId, Instant startedAt) {
        long candidate = from;
        while (!tryClaim(candidate, broadcastId, startedAt)) {
            candidate++;
        }
        advanceHead(candidate);
        return candidate;
    }

    /**
     * Exactly {@code seq} for a rerun of {@code broadcastId}.
     *
     * @throws SequenceTakenException when the number is another broadcast's
     */
    public long claimExactly(long seq, String broadcastId, Instant startedAt) {
        if (!tryClaim(seq, broadcastId, startedAt)) {
            throw new SequenceTakenException("sequence number " + seq + " belongs to another broadcast than " + broadcastId
                    + " in the home history table " + table + ": a rerun gives the broadcastId and seq its broadcast's audit printed");
        }
        advanceHead(seq);
        return seq;
    }

    private boolean tryClaim(long seq, String broadcastId, Instant startedAt) {
        try {
            dynamo.putItem(r -> r.tableName(table)
                    .item(Map.of(
                            StreamHistory.STREAM, AttributeValue.fromS(StreamHistory.DEFAULT_STREAM),
                            StreamHistory.SEQ, AttributeValue.fromN(Long.toString(seq)),
                            StreamHistory.BROADCAST_ID, AttributeValue.fromS(broadcastId),
                            StreamHistory.CREATED_AT, AttributeValue.fromS(startedAt.toString()),
                            FanoutSchema.EXPIRES_AT, AttributeValue.fromN(Long.toString(startedAt.plus(Retention.RECORDS).getEpochSecond()))))
                    .conditionExpression("attribute_not_exists(#seq) OR #broadcastId = :me")
                    .expressionAttributeNames(Map.of("#seq", StreamHistory.SEQ, "#broadcastId", StreamHistory.BROADCAST_ID))
                    .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(broadcastId))));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    private void advanceHead(long seq) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(StreamHistory.HEAD_SEQ))
                    .updateExpression("SET #head = :seq")
                    .conditionExpression("attribute_not_exists(#head) OR #head < :seq")
                    .expressionAttributeNames(Map.of("#head", StreamHistory.HEAD))
                    .expressionAttributeValues(Map.of(":seq", AttributeValue.fromN(Long.toString(seq)))));
        } catch (ConditionalCheckFailedException later) {
            // a later claim moved the hint further already
        }
    }

    private static Map<String, AttributeValue> key(long seq) {
        return Map.of(StreamHistory.STREAM, AttributeValue.fromS(StreamHistory.DEFAULT_STREAM),
                StreamHistory.SEQ, AttributeValue.fromN(Long.toString(seq)));
    }
}
