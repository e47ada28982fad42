package dev.wsfanout.resume;

import dev.wsfanout.model.StreamHistory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Reads the stream's history entries (docs/resume.md), strongly consistent: a resume must see every
 * entry written before it read, or a broadcast could fall between the replay and the fan-out.
 * Entries are small (no message), so a read of a hundred is a few read units.
 */
public final class StreamHistoryReader {

    private final DynamoDbClient dynamo;
    private final String table;
    private final String stream;

    public StreamHistoryReader(DynamoDbClient dynamo, String table, String stream) {
        this.dynamo = dynamo;
        this.table = table;
        this.stream = stream;
    }

    /** Up to {@code limit} entries from {@code firstSeq} on, ascending. */
    public List<HistoryEntry> from(long firstSeq, int limit) {
        return query(Math.max(firstSeq, StreamHistory.HEAD_SEQ + 1), limit, true);
    }

    /** The {@code limit} newest entries, ascending. */
    public List<HistoryEntry> newest(int limit) {
        List<HistoryEntry> entries = new ArrayList<>(query(StreamHistory.HEAD_SEQ + 1, limit, false));
        Collections.reverse(entries);
        return entries;
    }

    private List<HistoryEntry> query(long firstSeq, int limit, boolean ascending) {
        List<HistoryEntry> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(table)
                    .keyConditionExpression("#stream = :stream AND #seq >= :first")
                    .expressionAttributeNames(Map.of("#stream", StreamHistory.STREAM, "#seq", StreamHistory.SEQ))
                    .expressionAttributeValues(Map.of(":stream", AttributeValue.fromS(stream),
                            ":first", AttributeValue.fromN(Long.toString(firstSeq))))
                    .scanIndexForward(ascending)
                    .consistentRead(true)
                    .limit(limit - entries.size());
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse response = dynamo.query(request.build());
            for (Map<String, AttributeValue> item : response.items()) {
                entries.add(entry(item));
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null && entries.size() < limit);
        return entries;
    }

    private HistoryEntry entry(Map<String, AttributeValue> item) {
        AttributeValue seq = item.get(StreamHistory.SEQ);
        AttributeValue broadcastId = item.get(StreamHistory.BROADCAST_ID);
        AttributeValue createdAt = item.get(StreamHistory.CREATED_AT);
        if (seq == null || broadcastId == null || broadcastId.s() == null || createdAt == null || createdAt.s() == null) {
            throw new IllegalStateException("history entry " + item + " in table " + table + " lacks "
                    + StreamHistory.BROADCAST_ID + " or " + StreamHistory.CREATED_AT + "; the state machine's ClaimSequence writes both");
        }
        try {
            return new HistoryEntry(Long.parseLong(seq.n()), broadcastId.s(), Instant.parse(createdAt.s()));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalStateException("history entry " + item + " in table " + table + " is malformed: " + e.getMessage(), e);
        }
    }
}
