package dev.wsfanout.model;

import dev.wsfanout.model.TableSchema.Index;
import dev.wsfanout.model.TableSchema.Key;
import dev.wsfanout.model.TableSchema.KeyType;
import dev.wsfanout.model.TableSchema.Projection;

import java.util.List;

/**
 * wsfanout's five tables (docs/contracts.md): the one description of their keys, indexes and TTL,
 * from which the CDK stack declares them and the local stack and the tests create them.
 */
public record FanoutSchema(TableSchema connections, TableSchema partitions, TableSchema broadcasts,
                           TableSchema deliveries, TableSchema history) {

    /** The connections table's key; also the sort key of its partition index. */
    public static final String CONNECTION_ID = "connectionId";
    /** The partitions table's key and the partition index's partition key (a number, 1..partition count). */
    public static final String PARTITION_ID = "partitionId";
    /** The broadcasts table's key. */
    public static final String BROADCAST_ID = "broadcastId";
    /**
     * The TTL attribute (epoch seconds) of the connections, broadcasts, deliveries and history tables; the
     * partitions table's counts live on.
     */
    public static final String EXPIRES_AT = "expiresAt";

    /** The tables as {@code config} names them (table names and the partition index's name). */
    public static FanoutSchema of(FanoutConfig config) {
        Key connectionId = new Key(CONNECTION_ID, KeyType.STRING);
        Key partitionId = new Key(PARTITION_ID, KeyType.NUMBER);
        return new FanoutSchema(
                // KEYS_ONLY: the query step needs nothing but the ids, and the index stays small.
                new TableSchema("Connections", config.connectionsTable(), connectionId, null,
                        List.of(new Index(config.partitionIndex(), partitionId, connectionId, Projection.KEYS_ONLY)),
                        EXPIRES_AT),
                new TableSchema("Partitions", config.partitionsTable(), partitionId, null, List.of(), null),
                // Broadcast records expire as their ledger does: the writer sets expiresAt.
                new TableSchema("Broadcasts", config.broadcastsTable(), new Key(BROADCAST_ID, KeyType.STRING), null,
                        List.of(), EXPIRES_AT),
                // The delivery ledger: plan entries, chunk markers and the tallies, each broadcast
                // spread over LedgerKeys.SHARDS partition keys "<broadcastId>#<shard>".
                new TableSchema("Deliveries", config.deliveriesTable(), new Key(LedgerKeys.SHARD_KEY, KeyType.STRING),
                        new Key(LedgerKeys.ENTRY, KeyType.STRING), List.of(), EXPIRES_AT),
                // The stream's numbered entries (docs/resume.md); they expire with the broadcast records.
                new TableSchema("History", config.historyTable(), new Key(StreamHistory.STREAM, KeyType.STRING),
                        new Key(StreamHistory.SEQ, KeyType.NUMBER), List.of(), EXPIRES_AT));
    }

    public List<TableSchema> all() {
        return List.of(connections, partitions, broadcasts, deliveries, history);
    }
}
