package dev.wsfanout.bench;

import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.registry.RegistryAttributes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * Makes one shard carry several times the others' work, against the query step's even rotation:
 * the Map's batches whose first send goes to shard 0 (batch numbers 0, S, 2S, ... of ten
 * partitions each) are filled up to one SendMessageBatch of ids each, so all of theirs land on
 * shard 0, and the rest of the connections are left spread over the other batches. The rows
 * are moved in the registry directly (the partition counts are not kept: nothing connects
 * during the run, and the query step reads the index, not the counts).
 */
final class HotShardLayout {

    private static final int PARTITIONS_PER_BATCH = 10;
    private static final int CHUNKS_PER_SEND = 10;

    private HotShardLayout() {
    }

    /** What the layout did: the connections moved onto the hot shard's batches, of how many. */
    record Result(int hotConnections, int connections, int shards) {
        /** The hot shard's connections over another shard's (the unmoved ones stay spread over all shards). */
        double skew() {
            double cold = (connections - hotConnections) / (double) shards;
            return cold == 0 ? Double.POSITIVE_INFINITY : (hotConnections + cold) / cold;
        }
    }

    static Result apply(DynamoDbClient dynamo, FanoutConfig config, List<String> connectionIds) {
        int batches = config.partitionCount() / PARTITIONS_PER_BATCH;
        int hotBatches = (batches + config.shardCount() - 1) / config.shardCount();
        int perHotBatch = config.chunkSize() * CHUNKS_PER_SEND;
        // Half the connections at most, so the other shards keep work of their own; and a fifth of
        // each hot batch's send left for the unmoved ids already in its partitions.
        int hot = Math.min(connectionIds.size() / 2, hotBatches * perHotBatch * 4 / 5);
        for (int i = 0; i < hot; i++) {
            int batch = (i % hotBatches) * config.shardCount();
            int partition = batch * PARTITIONS_PER_BATCH + 1 + (i / hotBatches) % PARTITIONS_PER_BATCH;
            String id = connectionIds.get(i);
            dynamo.updateItem(r -> r.tableName(config.connectionsTable())
                    .key(Map.of(RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(id)))
                    .updateExpression("SET #p = :p")
                    .expressionAttributeNames(Map.of("#p", RegistryAttributes.PARTITION_ID))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromN(Integer.toString(partition)))));
        }
        return new Result(hot, connectionIds.size(), config.shardCount());
    }
}
