package dev.wsfanout.fanout;

import dev.wsfanout.aws.AwsClients;
import dev.wsfanout.local.dynamo.BroadcastRecordWriter;
import dev.wsfanout.local.sqs.ElasticMqShardQueues;
import dev.wsfanout.model.BatchInput;
import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.PartitionBatch;
import dev.wsfanout.model.QueryResult;
import dev.wsfanout.registry.RegistryFixture;
import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import dev.wsfanout.testkit.ElasticMqExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The query step against dynalite and ElasticMQ: what lands on the shards, chunk by chunk. */
@ExtendWith({DynaliteExtension.class, ElasticMqExtension.class})
class BatchQueryTest {

    private static final List<Integer> PARTITIONS = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

    @Test
    void smallPartitionsArePackedIntoFullChunksAndLargeOnesChunkedPageByPage(
            @DynamoEndpoint URI dynamo, @ElasticMqExtension.SqsEndpoint URI sqsEndpoint, SqsClient sqs) {
        Setup setup = setup(dynamo, sqsEndpoint, sqs);
        Map<String, Integer> partitionOf = setup.registerStandardLayout();
        PartitionBatch batch = new PartitionBatch(PARTITIONS, new BatchInput("b1", 1));

        QueryResult result = setup.query.run(batch);

        assertEquals(new QueryResult(10, 87, 6 + 12), result);
        Map<String, List<String>> chunks = drain(sqs, setup.shards.queues());
        assertEquals(18, chunks.size());
        List<String> everyId = chunks.values().stream().flatMap(List::stream).toList();
        assertEquals(87, everyId.size());
        assertEquals(partitionOf.keySet(), Set.copyOf(everyId), "every id exactly once");
        for (int c = 0; c < 6; c++) {
            assertTrue(chunks.containsKey("b1-c" + c), chunks.keySet().toString());
        }
        assertEquals(List.of("small-1-0", "small-1-1", "small-1-2", "small-2-0", "small-2-1"), chunks.get("b1-c0"),
                "packed in partition order");
        for (int c = 0; c < 10; c++) {
            assertEquals(5, chunks.get("p10-g0-c" + c).size());
        }
        assertEquals(5, chunks.get("p10-g1-c1").size());
    }

    /**
     * The chunks were dealt to the shards ten at a time (one SendMessageBatch each), so these 18 went
     * 10 and 8 and over three shards 10, 8 and 0: the shard with the most work sets a broadcast's end.
     * Dealt one by one, every shard gets the same share, give or take one.
     */
    @Test
    void everyShardGetsTheSameShareOfTheChunksGiveOrTakeOne(
            @DynamoEndpoint URI dynamo, @ElasticMqExtension.SqsEndpoint URI sqsEndpoint, SqsClient sqs) {
        for (int shardCount : List.of(2, 3, 4)) {
            Setup setup = setup(dynamo, sqsEndpoint, sqs, shardCount);
            setup.registerStandardLayout();

            setup.query.run(new PartitionBatch(PARTITIONS, new BatchInput("b1", 1)));

            List<Integer> perShard = setup.shards.queues().stream().map(queue -> drain(sqs, List.of(queue)).size()).toList();
            assertEquals(18, perShard.stream().mapToInt(Integer::intValue).sum(), perShard.toString());
            int fewest = 18 / shardCount;
            assertTrue(perShard.stream().allMatch(n -> n == fewest || n == fewest + 1),
                    shardCount + " shards got " + perShard + " chunks");
        }
    }

    /**
     * Defect 1 of issue 11: chunk membership followed the position of an id in its partition, so a
     * rerun after a connection left shifted later ids into chunks already delivered (skipped) and
     * counted them queued. The rerun must send the plan of the first attempt, unchanged.
     */
    @Test
    void aRerunAfterConnectionsLeftAndJoinedSendsTheFirstAttemptsPlanUnchanged(
            @DynamoEndpoint URI dynamo, @ElasticMqExtension.SqsEndpoint URI sqsEndpoint, SqsClient sqs) {
        Setup setup = setup(dynamo, sqsEndpoint, sqs);
        setup.registerStandardLayout();
        PartitionBatch batch = new PartitionBatch(PARTITIONS, new BatchInput("b1", 1));
        QueryResult first = setup.query.run(batch);
        Map<String, List<String>> firstChunks = drain(sqs, setup.shards.queues());

        // Between the attempts: the first id of the large partition leaves, ids join in front of
        // and after others, and a small partition grows past a page.
        setup.fixture.dynamo().deleteItem(r -> r.tableName(setup.fixture.config().connectionsTable())
                .key(Map.of("connectionId", AttributeValue.fromS("large-00"))));
        register(setup.fixture, 10, "large-005");
        register(setup.fixture, 1, "small-1-00");
        for (int i = 0; i < 60; i++) {
            register(setup.fixture, 2, "grown-" + i);
        }

        assertEquals(first, setup.query.run(batch), "the rerun reports the plan it sent");
        assertEquals(firstChunks, drain(sqs, setup.shards.queues()), "a rerun queues the very same chunks");
    }

    /**
     * Defect 2 of issue 11: a SendMessageBatch that failed after its retries was dropped from the
     * publisher's in-flight list, so the query step succeeded and its connections were never posted.
     */
    @Test
    void aShardSendThatKeepsFailingFailsTheQueryStep(
            @DynamoEndpoint URI dynamo, @ElasticMqExtension.SqsEndpoint URI sqsEndpoint, SqsClient sqs) {
        ElasticMqShardQueues.Urls shards = ElasticMqShardQueues.defaults().withPrefix("q" + UUID.randomUUID().toString().substring(0, 8))
                .withCount(1).create(sqs);
        String missing = shards.queues().get(0).replaceAll("[^/]+$", "no-such-queue");
        RegistryFixture fixture = RegistryFixture.create(dynamo, Map.of(
                "PARTITION_COUNT", "10", "SHARD_COUNT", "2", "CHUNK_SIZE", "5",
                "SHARD_QUEUE_URLS", shards.queues().get(0) + "," + missing, "SQS_ENDPOINT", sqsEndpoint.toString()));
        for (int i = 0; i < 300; i++) {
            register(fixture, 10, String.format("large-%03d", i));
        }
        new BroadcastRecordWriter(fixture.dynamo(), fixture.config()).create("b1", "\"hi\"");
        AwsClients clients = new AwsClients(fixture.config(), Map.of());
        BatchQuery query = new BatchQuery(clients.dynamoDbAsync(), clients.sqsAsync(), fixture.config(), Clock.systemUTC());

        var e = assertThrows(ShardPublisher.ShardSendException.class,
                () -> query.run(new PartitionBatch(List.of(10), new BatchInput("b1", 1))));
        assertTrue(e.getMessage().contains("no-such-queue"), e.getMessage());
    }

    @Test
    void aBatchOfAnUnknownBroadcastIsANamedError(@DynamoEndpoint URI dynamo, SqsClient sqs) {
        ElasticMqShardQueues.Urls shards = ElasticMqShardQueues.defaults().withPrefix("q" + UUID.randomUUID().toString().substring(0, 8))
                .withCount(1).create(sqs);
        RegistryFixture fixture = RegistryFixture.create(dynamo, Map.of("PARTITION_COUNT", "1", "SHARD_COUNT", "1",
                "SHARD_QUEUE_URLS", shards.queues().get(0)));
        AwsClients clients = new AwsClients(fixture.config(), Map.of());
        BatchQuery query = new BatchQuery(clients.dynamoDbAsync(), clients.sqsAsync(), fixture.config(), Clock.systemUTC());
        var e = assertThrows(BroadcastMessages.UnknownBroadcastException.class,
                () -> query.run(new PartitionBatch(List.of(1), new BatchInput("nobody", 1))));
        assertTrue(e.getMessage().contains("nobody"), e.getMessage());
    }

    @Test
    void aMessageTooLargeToCarryAnyIdIsANamedError(@DynamoEndpoint URI dynamo, SqsClient sqs) {
        ElasticMqShardQueues.Urls shards = ElasticMqShardQueues.defaults().withPrefix("q" + UUID.randomUUID().toString().substring(0, 8))
                .withCount(1).create(sqs);
        RegistryFixture fixture = RegistryFixture.create(dynamo, Map.of("PARTITION_COUNT", "1", "SHARD_COUNT", "1",
                "SHARD_QUEUE_URLS", shards.queues().get(0), "SQS_MAX_MESSAGE_BYTES", "1024"));
        new BroadcastRecordWriter(fixture.dynamo(), fixture.config()).create("b", "\"" + "x".repeat(900) + "\"");
        AwsClients clients = new AwsClients(fixture.config(), Map.of());
        BatchQuery query = new BatchQuery(clients.dynamoDbAsync(), clients.sqsAsync(), fixture.config(), Clock.systemUTC());
        var e = assertThrows(ChunkPlanner.MessageTooLargeForChunkException.class,
                () -> query.run(new PartitionBatch(List.of(1), new BatchInput("b", 1))));
        assertTrue(e.getMessage().startsWith("MessageTooLargeForChunk"), e.getMessage());
    }

    private record Setup(RegistryFixture fixture, ElasticMqShardQueues.Urls shards, BatchQuery query) {
        /** Partitions 1..9 hold three ids each; partition 10 holds 60, more than a page (10 chunks of 5). */
        Map<String, Integer> registerStandardLayout() {
            Map<String, Integer> partitionOf = new HashMap<>();
            for (int p = 1; p <= 9; p++) {
                for (int i = 0; i < 3; i++) {
                    partitionOf.put(register(fixture, p, "small-" + p + "-" + i), p);
                }
            }
            for (int i = 0; i < 60; i++) {
                partitionOf.put(register(fixture, 10, String.format("large-%02d", i)), 10);
            }
            return partitionOf;
        }
    }

    private static Setup setup(URI dynamo, URI sqsEndpoint, SqsClient sqs) {
        return setup(dynamo, sqsEndpoint, sqs, 2);
    }

    private static Setup setup(URI dynamo, URI sqsEndpoint, SqsClient sqs, int shardCount) {
        ElasticMqShardQueues.Urls shards = ElasticMqShardQueues.defaults().withPrefix("q" + UUID.randomUUID().toString().substring(0, 8))
                .withCount(shardCount).create(sqs);
        RegistryFixture fixture = RegistryFixture.create(dynamo, Map.of(
                "PARTITION_COUNT", "10", "SHARD_COUNT", Integer.toString(shardCount), "CHUNK_SIZE", "5",
                "SHARD_QUEUE_URLS", String.join(",", shards.queues()), "SQS_ENDPOINT", sqsEndpoint.toString()));
        FanoutConfig config = fixture.config();
        new BroadcastRecordWriter(fixture.dynamo(), config).create("b1", "\"hi\"");
        AwsClients clients = new AwsClients(config, Map.of());
        return new Setup(fixture, shards, new BatchQuery(clients.dynamoDbAsync(), clients.sqsAsync(), config, Clock.systemUTC()));
    }

    private static String register(RegistryFixture fixture, int partition, String id) {
        fixture.dynamo().putItem(r -> r.tableName(fixture.config().connectionsTable()).item(Map.of(
                "connectionId", AttributeValue.fromS(id),
                "partitionId", AttributeValue.fromN(Integer.toString(partition)),
                "connectedAt", AttributeValue.fromN("1"),
                "expiresAt", AttributeValue.fromN("9999999999"))));
        return id;
    }

    private static Map<String, List<String>> drain(SqsClient sqs, List<String> queues) {
        Map<String, List<String>> chunks = new TreeMap<>();
        for (String queue : queues) {
            List<Message> got;
            do {
                got = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
                for (Message m : got) {
                    DeliveryChunk chunk = DeliveryChunk.fromJson(m.body());
                    chunks.put(chunk.chunkId(), new ArrayList<>(chunk.connectionIds()));
                    sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle()));
                }
            } while (!got.isEmpty());
        }
        return chunks;
    }
}
