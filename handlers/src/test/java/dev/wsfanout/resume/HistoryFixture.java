package dev.wsfanout.resume;

import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.StreamHistory;
import dev.wsfanout.registry.RegistryFixture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;

/** Writes history entries and broadcast records as the state machine's ClaimSequence and CreateBroadcast do. */
record HistoryFixture(RegistryFixture tables) {

    void entry(long seq, String broadcastId, Instant createdAt) {
        tables.dynamo().putItem(r -> r.tableName(tables.config().historyTable()).item(Map.of(
                StreamHistory.STREAM, AttributeValue.fromS(StreamHistory.DEFAULT_STREAM),
                StreamHistory.SEQ, AttributeValue.fromN(Long.toString(seq)),
                StreamHistory.BROADCAST_ID, AttributeValue.fromS(broadcastId),
                StreamHistory.CREATED_AT, AttributeValue.fromS(createdAt.toString()))));
    }

    void record(String broadcastId, String messageJson) {
        tables.dynamo().putItem(r -> r.tableName(tables.config().broadcastsTable()).item(Map.of(
                FanoutSchema.BROADCAST_ID, AttributeValue.fromS(broadcastId),
                "message", AttributeValue.fromS(messageJson))));
    }

    /** Broadcast {@code b<n>} with message {@code "m<n>"}, numbered n, started at {@code createdAt}. */
    void broadcast(long seq, Instant createdAt) {
        entry(seq, "b" + seq, createdAt);
        record("b" + seq, "\"m" + seq + "\"");
    }

    void deleteEntry(long seq) {
        tables.dynamo().deleteItem(r -> r.tableName(tables.config().historyTable()).key(Map.of(
                StreamHistory.STREAM, AttributeValue.fromS(StreamHistory.DEFAULT_STREAM),
                StreamHistory.SEQ, AttributeValue.fromN(Long.toString(seq)))));
    }

    StreamHistoryReader reader() {
        return new StreamHistoryReader(tables.dynamo(), tables.config().historyTable(), StreamHistory.DEFAULT_STREAM);
    }
}
