package dev.wsfanout.model;

/**
 * Where a broadcast's delivery ledger lives in the deliveries table: the plans the query step
 * persisted, one marker per chunk, and the counters. A broadcast's entries are spread over
 * {@value #SHARDS} partition keys ({@code <broadcastId>#<shard>}, the shard chosen by a stable hash
 * of the entry), so no single key takes more than a 64th of a broadcast's writes; each shard has
 * its own tally item, and the broadcast's counts are their sum. 64 keeps a tally item small (its
 * set of counted chunk ids grows with the broadcast: 600,000 connections are about 100 ids, 1.5 KB,
 * per item) and the poll one BatchGetItem (at most 100 keys).
 */
public final class LedgerKeys {

    /** Partition keys per broadcast. Fixed: writers and readers must agree on it for a broadcast's lifetime. */
    public static final int SHARDS = 64;

    /** The deliveries table's partition key attribute. */
    public static final String SHARD_KEY = "ledgerShard";
    /** The deliveries table's sort key attribute. */
    public static final String ENTRY = "entry";

    public static final String TALLY_ENTRY = "tally";
    private static final String CHUNK_PREFIX = "chunk#";
    private static final String PLAN_PREFIX = "plan#";

    private LedgerKeys() {
    }

    /** The shard of an entry: String.hashCode is specified by the language, so every JVM agrees. */
    public static int shardOf(String entry) {
        return Math.floorMod(entry.hashCode(), SHARDS);
    }

    public static String shardKey(String broadcastId, int shard) {
        return broadcastId + "#" + shard;
    }

    /** The shard key an entry is stored under. */
    public static String shardKeyOf(String broadcastId, String entry) {
        return shardKey(broadcastId, shardOf(entry));
    }

    public static String chunkEntry(String chunkId) {
        return CHUNK_PREFIX + chunkId;
    }

    public static boolean isChunkEntry(String entry) {
        return entry.startsWith(CHUNK_PREFIX);
    }

    public static String chunkIdOf(String chunkEntry) {
        return chunkEntry.substring(CHUNK_PREFIX.length());
    }

    /** A plan entry: {@code b<first partition>} for a batch's packed plan, {@code p<partition>-g<page>} for a page. */
    public static String planEntry(String scope) {
        return PLAN_PREFIX + scope;
    }

    public static boolean isPlanEntry(String entry) {
        return entry.startsWith(PLAN_PREFIX);
    }

    /** A chunk's outcome is counted in the tally of the shard its marker lives in. */
    public static String tallyShardKeyOfChunk(String broadcastId, String chunkId) {
        return shardKeyOf(broadcastId, chunkEntry(chunkId));
    }
}
