package dev.wsfanout.registry;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses the partition of a new connection by the power of two choices: read the counts of two
 * random partitions in one BatchGetItem and take the lighter. With n connections over p
 * partitions, the fullest partition then holds about n/p + ln ln p / ln 2 — within a few percent
 * of perfectly even — for one small read per $connect, where scanning all 2,500 counts (what
 * "the least-loaded partition" literally asks for) costs 2,500 reads and still races with every
 * concurrent connect. See docs/registry.md for the measured balance.
 */
public final class PartitionAssigner {

    private final DynamoDbClient dynamo;
    private final String partitionsTable;
    private final int partitionCount;

    public PartitionAssigner(DynamoDbClient dynamo, String partitionsTable, int partitionCount) {
        this.dynamo = dynamo;
        this.partitionsTable = partitionsTable;
        this.partitionCount = partitionCount;
    }

    public int assign() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int[] candidates = twoDistinct(random, partitionCount);
        if (candidates[0] == candidates[1]) {
            return candidates[0];
        }
        Map<Integer, Long> counts;
        try {
            counts = readCounts(candidates[0], candidates[1]);
        } catch (RuntimeException unread) {
            // A throttled or failed read must not refuse the client: the counts only balance,
            // and one connection in a random partition is the price.
            return candidates[0];
        }
        return lighter(candidates[0], counts.getOrDefault(candidates[0], 0L),
                candidates[1], counts.getOrDefault(candidates[1], 0L), random.nextBoolean());
    }

    /**
     * The rule itself, free of I/O so the balance can be simulated at any size: the partition with
     * fewer connections, a coin flip between equals.
     */
    public static int lighter(int a, long countA, int b, long countB, boolean tieGoesToA) {
        if (countA != countB) {
            return countA < countB ? a : b;
        }
        return tieGoesToA ? a : b;
    }

    /** Two distinct partitions in 1..partitionCount (the same one twice only when there is one). */
    public static int[] twoDistinct(java.util.random.RandomGenerator random, int partitionCount) {
        int a = 1 + random.nextInt(partitionCount);
        if (partitionCount == 1) {
            return new int[] {a, a};
        }
        int b = 1 + random.nextInt(partitionCount - 1);
        if (b >= a) {
            b++;
        }
        return new int[] {a, b};
    }

    private Map<Integer, Long> readCounts(int a, int b) {
        KeysAndAttributes keys = KeysAndAttributes.builder()
                .keys(List.of(key(a), key(b)))
                .projectionExpression(RegistryAttributes.PARTITION_ID + ", " + RegistryAttributes.CONNECTION_COUNT)
                .build();
        Map<String, KeysAndAttributes> request = Map.of(partitionsTable, keys);
        Map<Integer, Long> counts = new java.util.HashMap<>();
        // Unprocessed keys happen under throttling; a missing count is read as 0, which at worst
        // sends this one connection to a slightly fuller partition.
        BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(request));
        for (Map<String, AttributeValue> item : response.responses().getOrDefault(partitionsTable, List.of())) {
            AttributeValue count = item.get(RegistryAttributes.CONNECTION_COUNT);
            counts.put(Integer.parseInt(item.get(RegistryAttributes.PARTITION_ID).n()),
                    count == null ? 0L : Long.parseLong(count.n()));
        }
        return counts;
    }

    private static Map<String, AttributeValue> key(int partitionId) {
        return Map.of(RegistryAttributes.PARTITION_ID, AttributeValue.fromN(Integer.toString(partitionId)));
    }
}
