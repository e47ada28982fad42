package dev.wsfanout.local.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ElasticMqShardQueuesTest {

    @RegisterExtension
    static final ElasticMqTestServer ELASTIC_MQ = new ElasticMqTestServer();




    @Test
    void createsTheContractQueuesInShardOrderEachRedrivingToItsOwnDeadLetterQueue() {
        ElasticMqShardQueues.Urls urls = ElasticMqShardQueues.defaults().create(ELASTIC_MQ.sqs());

        String base = ELASTIC_MQ.server().endpoint() + "/000000000000/";
        assertEquals(IntStream.range(0, 10).mapToObj(i -> base + "wsfanout-shard-" + i).toList(), urls.queues());
        assertEquals(IntStream.range(0, 10).mapToObj(i -> base + "wsfanout-shard-" + i + "-dlq").toList(),
                urls.deadLetterQueues());
        Map<QueueAttributeName, String> shard3 = attributes(urls.queues().get(3));
        assertEquals("30", shard3.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        assertEquals(Map.of("deadLetterTargetArn", "arn:aws:sqs:us-east-1:000000000000:wsfanout-shard-3-dlq",
                        "maxReceiveCount", "5"),
                redrivePolicy(shard3.get(QueueAttributeName.REDRIVE_POLICY)));
    }

    @Test
    void creatingAgainKeepsTheQueuesAndTheirMessagesAndAppliesTheNewSettings() {
        ElasticMqShardQueues first = ElasticMqShardQueues.defaults().withPrefix("again").withCount(2);
        ElasticMqShardQueues.Urls urls = first.create(ELASTIC_MQ.sqs());
        ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(urls.queues().get(1)).messageBody("kept"));

        ElasticMqShardQueues.Urls again = first.withMaxReceiveCount(2).withVisibilityTimeout(Duration.ofSeconds(3)).create(ELASTIC_MQ.sqs());

        assertEquals(urls, again);
        assertEquals(1, QueueDepth.of(ELASTIC_MQ.sqs(), again.queues().get(1)));
        Map<QueueAttributeName, String> shard1 = attributes(again.queues().get(1));
        assertEquals("3", shard1.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        assertEquals("2", redrivePolicy(shard1.get(QueueAttributeName.REDRIVE_POLICY)).get("maxReceiveCount"));
    }

    @Test
    void rejectsDefinitionsSqsWouldRejectNamingTheField() {
        ElasticMqShardQueues defaults = ElasticMqShardQueues.defaults();
        assertEquals("shard queues: count must be 1..100, was 0",
                assertThrows(IllegalArgumentException.class, () -> defaults.withCount(0)).getMessage());
        assertEquals("shard queues: prefix 'bad.name' must be letters, digits, '-' or '_' and leave queue names"
                        + " of at most 80 characters",
                assertThrows(IllegalArgumentException.class, () -> defaults.withPrefix("bad.name")).getMessage());
        assertEquals("shard queues: maxReceiveCount must be 1..1000, was 0",
                assertThrows(IllegalArgumentException.class, () -> defaults.withMaxReceiveCount(0)).getMessage());
        assertEquals("shard queues: visibilityTimeout must be whole seconds in 0..12 h, was PT0.5S",
                assertThrows(IllegalArgumentException.class,
                        () -> defaults.withVisibilityTimeout(Duration.ofMillis(500))).getMessage());
    }

    private static Map<QueueAttributeName, String> attributes(String queueUrl) {
        return ELASTIC_MQ.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL)).attributes();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> redrivePolicy(String json) {
        try {
            Map<String, Object> parsed = new ObjectMapper().readValue(json, Map.class);
            Map<String, String> asText = new TreeMap<>();
            parsed.forEach((key, value) -> asText.put(key, String.valueOf(value)));
            return asText;
        } catch (IOException e) {
            throw new AssertionError("RedrivePolicy is not JSON: " + json, e);
        }
    }
}
