package dev.wsfanout.local.sqs;

import dev.wsfanout.local.Eventually;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.lambda.LocalFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery: every message reaches the function once, in Lambda's event shape. */
class SqsEventSourceMappingTest {

    @RegisterExtension
    static final ElasticMqTestServer ELASTIC_MQ = new ElasticMqTestServer();

    private static final Duration WAIT = Duration.ofSeconds(20);




    @Test
    void everyMessageReachesTheFunctionExactlyOnceInBatchesOfAtMostBatchSize() {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(30));
        List<String> bodies = IntStream.range(0, 95).mapToObj(i -> "message-" + i).toList();
        ELASTIC_MQ.queues().send(url, bodies);
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            batchSizes.add(event.getRecords().size());
            event.getRecords().forEach(record -> deliveries.merge(record.getBody(), 1, Integer::sum));
            return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
        };
        SqsEventSourceMappingSettings settings = SqsEventSourceMappingSettings.builder()
                .batchSize(7).maxConcurrency(3).reportBatchItemFailures(true).build();

        try (LocalFunction function = LocalFunction.of("drain", handler, SQSEvent.class, 10, Duration.ofSeconds(30));
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function, settings).start()) {
            Eventually.until("95 deletes", WAIT, () -> mapping.counters().recordsDeleted() == 95);

            assertEquals(bodies.size(), deliveries.size());
            deliveries.forEach((body, count) -> assertEquals(1, count, body + " delivered " + count + " times"));
            assertTrue(batchSizes.stream().allMatch(size -> size >= 1 && size <= 7), "batch sizes " + batchSizes);
            assertEquals(0, QueueDepth.of(ELASTIC_MQ.sqs(), url));
            assertEquals(new SqsEventSourceMappingCounters(batchSizes.size(), 95, 0, 95, 0), mapping.counters());
        }
    }

    @Test
    void theEventIsShapedAsLambdaShapesIt() throws Exception {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(30));
        String queueName = url.substring(url.lastIndexOf('/') + 1);
        ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("{\"hello\":1}").messageAttributes(Map.of(
                "kind", MessageAttributeValue.builder().dataType("String").stringValue("chunk").build(),
                "raw", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("hi")).build())));
        AtomicReference<byte[]> raw = new AtomicReference<>();

        try (LocalFunction function = LocalFunction.ofStream("raw", (in, out, context) -> raw.set(in.readAllBytes()),
                2, Duration.ofSeconds(30));
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function,
                     SqsEventSourceMappingSettings.defaults()).start()) {
            Eventually.until("one delete", WAIT, () -> mapping.counters().recordsDeleted() == 1);
        }

        JsonNode records = new ObjectMapper().readTree(raw.get()).get("Records");
        assertEquals(1, records.size());
        JsonNode record = records.get(0);
        assertEquals(List.of("messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody",
                "md5OfMessageAttributes", "eventSource", "eventSourceARN", "awsRegion"), fieldNames(record));
        assertEquals("{\"hello\":1}", record.get("body").asText());
        assertEquals(md5Hex("{\"hello\":1}"), record.get("md5OfBody").asText());
        assertEquals("aws:sqs", record.get("eventSource").asText());
        assertEquals("arn:aws:sqs:us-east-1:000000000000:" + queueName, record.get("eventSourceARN").asText());
        assertEquals("us-east-1", record.get("awsRegion").asText());
        JsonNode attributes = record.get("attributes");
        assertEquals("1", attributes.get("ApproximateReceiveCount").asText());
        for (String name : List.of("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp")) {
            assertTrue(attributes.hasNonNull(name), name + " missing from " + attributes);
        }
        assertTrue(attributes.get("SentTimestamp").asText().matches("\\d{13}"), attributes.toString());
        assertEquals(new ObjectMapper().readTree("""
                {"kind":{"stringValue":"chunk","stringListValues":[],"binaryListValues":[],"dataType":"String"},
                 "raw":{"binaryValue":"aGk=","stringListValues":[],"binaryListValues":[],"dataType":"Binary"}}"""),
                record.get("messageAttributes"));
    }

    @Test
    void aJavaHandlerReadsTheEventThroughTheLambdaSerializers() {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(30));
        ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("typed").messageAttributes(Map.of(
                "raw", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("hi")).build())));
        AtomicReference<SQSEvent.SQSMessage> seen = new AtomicReference<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            seen.set(event.getRecords().get(0));
            return null;
        };

        try (LocalFunction function = LocalFunction.of("typed", handler, SQSEvent.class, 2, Duration.ofSeconds(30));
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function,
                     SqsEventSourceMappingSettings.builder().reportBatchItemFailures(true).build()).start()) {
            Eventually.until("one delete", WAIT, () -> mapping.counters().recordsDeleted() == 1);
        }

        SQSEvent.SQSMessage message = seen.get();
        assertEquals("typed", message.getBody());
        assertEquals("aws:sqs", message.getEventSource());
        assertTrue(message.getEventSourceArn().startsWith("arn:aws:sqs:us-east-1:000000000000:"));
        assertEquals("1", message.getAttributes().get("ApproximateReceiveCount"));
        assertFalse(message.getReceiptHandle().isEmpty());
        assertEquals(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)),
                message.getMessageAttributes().get("raw").getBinaryValue());
    }

    @Test
    void oneMappingPerShardQueueDrainsEveryShard() {
        ElasticMqShardQueues.Urls shards = ElasticMqShardQueues.defaults().withPrefix("drain").withCount(3).create(ELASTIC_MQ.sqs());
        for (int shard = 0; shard < 3; shard++) {
            int s = shard;
            ELASTIC_MQ.queues().send(shards.queues().get(shard), IntStream.range(0, 12).mapToObj(i -> s + "/" + i).toList());
        }
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            event.getRecords().forEach(record -> seen.add(record.getBody()));
            return null;
        };

        try (LocalFunction function = LocalFunction.of("shards", handler, SQSEvent.class, 10, Duration.ofSeconds(30));
             SqsEventSourceMappings mappings = SqsEventSourceMappings.forQueues(ELASTIC_MQ.sqsAsync(), shards.queues(), function,
                     SqsEventSourceMappingSettings.defaults()).start()) {
            Eventually.until("36 deletes", WAIT, () -> mappings.counters().recordsDeleted() == 36);

            assertEquals(36, mappings.counters().records());
            assertEquals(3, mappings.mappings().size());
            mappings.mappings().forEach(mapping -> assertEquals(12, mapping.counters().recordsDeleted()));
        }
        assertEquals(36, seen.stream().distinct().count());
    }

    @Test
    void startingOnAMissingQueueSaysWhichQueue() {
        String missing = ELASTIC_MQ.server().endpoint() + "/000000000000/no-such-queue";
        try (LocalFunction function = LocalFunction.of("missing", (SQSEvent event, Context context) -> null,
                SQSEvent.class, 1, Duration.ofSeconds(1));
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), missing, function,
                     SqsEventSourceMappingSettings.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, mapping::start);
            assertEquals("SQS event-source mapping: queue " + missing + " does not exist", e.getMessage());
        }
    }

    @Test
    void aQueueThatHidesMessagesForLessThanTheFunctionMayRunIsRefusedAsLambdaRefusesIt() {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(1));
        try (LocalFunction function = LocalFunction.of("slow", (SQSEvent event, Context context) -> null,
                SQSEvent.class, 1, Duration.ofMillis(1500));
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function,
                     SqsEventSourceMappingSettings.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, mapping::start);
            assertEquals("SQS event-source mapping for " + url
                    + ": Queue visibility timeout: 1 seconds is less than Function timeout: 1.5 seconds", e.getMessage());
        }
    }

    @Test
    void settingsOutsideLambdasRangesAreRejectedNamingTheSetting() {
        assertEquals("SQS event-source mapping: batchSize must be 1..10, was 11", assertThrows(IllegalArgumentException.class,
                () -> SqsEventSourceMappingSettings.builder().batchSize(11).build()).getMessage());
        assertEquals("SQS event-source mapping: maxConcurrency must be 2..1000, was 1", assertThrows(IllegalArgumentException.class,
                () -> SqsEventSourceMappingSettings.builder().maxConcurrency(1).build()).getMessage());
        assertEquals("SQS event-source mapping: maximumBatchingWindow must be 0..300 s, was PT5M1S",
                assertThrows(IllegalArgumentException.class, () -> SqsEventSourceMappingSettings.builder()
                        .maximumBatchingWindow(Duration.ofSeconds(301)).build()).getMessage());
        assertEquals("SQS event-source mapping: waitTimeSeconds must be 0..20, was 21", assertThrows(IllegalArgumentException.class,
                () -> SqsEventSourceMappingSettings.builder().waitTimeSeconds(21).build()).getMessage());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String md5Hex(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, digest));
    }
}
