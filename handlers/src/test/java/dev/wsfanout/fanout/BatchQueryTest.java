package dev.wsfanout.fanout;

import dev.wsfanout.aws.AwsClients;
import dev.wsfanout.local.sqs.ShardQueues;
import dev.wsfanout.model.BatchInput;
import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
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
        ShardQueues.Urls shards = ShardQueues.defaults().withPrefix("q" + UUID.randomUUID().toString().substring(0, 8))
                .withCount(2).create(sqs);
        RegistryFixture fixture = RegistryFixture.create(dynamo, Map.of(
                "PARTITION_COUNT", "10", "SHARD_COUNT", "2", "CHUNK_SIZE", "5",
                "SHARD_QUEUE_URLS", String.join(",", shards.queues()), "SQS_ENDPOINT", sqsEndpoint.toString()));
        Map<String, Integer> partitionOf = new HashMap<>();
        for (int p = 1; p <= 9; p++) {
            for (int i = 0; i < 3; i++) {
                partitionOf.put(register(fixture, p, "small-" + p + "-" + i), p);
            }
        }
        // 60 ids: more than a page (10 chunks of 5 = 50 ids), so partition 10 is read in two pages.
        for (int i = 0; i < 60; i++) {
            partitionOf.put(register(fixture, 10, String.format("large-%02d", i)), 10);
        }
        FanoutConfig config = fixture.config();
        AwsClients clients = new AwsClients(config, Map.of());
        BatchQuery query = new BatchQuery(clients.dynamoDbAsync(), clients.sqsAsync(), config);
        PartitionBatch batch = new PartitionBatch(PARTITIONS, new BatchInput("b1", JsonCodec.readTree("\"hi\"")));

        QueryResult result = query.run(batch);

        assertEquals(new QueryResult(10, 87, 6 + 12), result);
        Map<String, List<String>> chunks = drain(sqs, shards.queues());
        assertEquals(18, chunks.size());
        List<String> everyId = chunks.values().stream().flatMap(List::stream).toList();
        assertEquals(87, everyId.size());
        assertEquals(partitionOf.keySet(), Set.copyOf(everyId), "every id exactly once");
        for (int c = 0; c < 6; c++) {
            assertTrue(chunks.containsKey("b1-c" + c), chunks.keySet().toString());
        }
        assertEquals(List.of("small-1-0", "small-1-1", "small-1-2", "small-2-0", "small-2-1"), chunks.get("b1-c0"),
                "packed in partition order");
        for (int c = 0; c < 12; c++) {
            assertEquals(5, chunks.get("p10-c" + c).size());
        }

        assertEquals(result, query.run(batch));
        assertEquals(chunks, drain(sqs, shards.queues()), "a rerun queues the very same chunks");
    }

    @Test
    void aMessageTooLargeToCarryAnyIdIsANamedError(@DynamoEndpoint URI dynamo, SqsClient sqs) {
        ShardQueues.Urls shards = ShardQueues.defaults().withPrefix("q" + UUID.randomUUID().toString().substring(0, 8))
                .withCount(1).create(sqs);
        RegistryFixture fixture = RegistryFixture.create(dynamo, Map.of("PARTITION_COUNT", "1", "SHARD_COUNT", "1",
                "SHARD_QUEUE_URLS", shards.queues().get(0), "SQS_MAX_MESSAGE_BYTES", "1024"));
        AwsClients clients = new AwsClients(fixture.config(), Map.of());
        BatchQuery query = new BatchQuery(clients.dynamoDbAsync(), clients.sqsAsync(), fixture.config());
        String big = "\"" + "x".repeat(900) + "\"";
        var e = assertThrows(ChunkPlanner.MessageTooLargeForChunkException.class,
                () -> query.run(new PartitionBatch(List.of(1), new BatchInput("b", JsonCodec.readTree(big)))));
        assertTrue(e.getMessage().startsWith("MessageTooLargeForChunk"), e.getMessage());
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
                    DeliveryChunk chunk = JsonCodec.read(m.body(), DeliveryChunk.class);
                    chunks.put(chunk.chunkId(), new ArrayList<>(chunk.connectionIds()));
                    sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle()));
                }
            } while (!got.isEmpty());
        }
        return chunks;
    }
}
