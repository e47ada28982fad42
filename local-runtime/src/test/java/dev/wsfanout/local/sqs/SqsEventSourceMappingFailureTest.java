package dev.wsfanout.local.sqs;

import dev.wsfanout.local.Eventually;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.wsfanout.local.lambda.LocalFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What stays on the queue when a function fails, and what the redrive policy does with it. */
class SqsEventSourceMappingFailureTest {

    @RegisterExtension
    static final ElasticMqTestServer ELASTIC_MQ = new ElasticMqTestServer();

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Also the functions' timeout: Lambda refuses a mapping whose queue hides messages for less. */
    private static final Duration VISIBILITY = Duration.ofSeconds(1);




    @Test
    void reportedMessagesComeBackAfterTheVisibilityTimeoutAndTheOthersAreDeleted() {
        String url = ELASTIC_MQ.queues().create(VISIBILITY);
        ELASTIC_MQ.queues().send(url, IntStream.range(0, 20).mapToObj(i -> (i % 4 == 0 ? "fail-once-" : "ok-") + i).toList());
        Map<String, List<String>> receiveCounts = new ConcurrentHashMap<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage record : event.getRecords()) {
                String receiveCount = record.getAttributes().get("ApproximateReceiveCount");
                receiveCounts.computeIfAbsent(record.getBody(), body -> new ArrayList<>()).add(receiveCount);
                if (record.getBody().startsWith("fail-once-") && receiveCount.equals("1")) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        };

        try (LocalFunction function = LocalFunction.of("partial", handler, SQSEvent.class, 10, VISIBILITY);
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function, settings(10, true)).start()) {
            Eventually.until("20 deletes", WAIT, () -> mapping.counters().recordsDeleted() == 20);

            receiveCounts.forEach((body, counts) -> assertEquals(
                    body.startsWith("fail-once-") ? List.of("1", "2") : List.of("1"), counts, body));
            assertEquals(20, receiveCounts.size());
            assertEquals(5, mapping.counters().recordsReportedFailed());
            assertEquals(25, mapping.counters().records());
            assertEquals(0, QueueDepth.of(ELASTIC_MQ.sqs(), url));
        }
    }

    @Test
    void aResponseNamingAMessageOutsideTheBatchFailsTheWholeBatch() {
        String url = ELASTIC_MQ.queues().create(VISIBILITY);
        ELASTIC_MQ.queues().send(url, IntStream.range(0, 6).mapToObj(i -> "m" + i).toList());
        Map<String, List<String>> receiveCounts = new ConcurrentHashMap<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            boolean firstDelivery = false;
            for (SQSEvent.SQSMessage record : event.getRecords()) {
                String receiveCount = record.getAttributes().get("ApproximateReceiveCount");
                receiveCounts.computeIfAbsent(record.getBody(), body -> new ArrayList<>()).add(receiveCount);
                firstDelivery |= receiveCount.equals("1");
            }
            return new SQSBatchResponse(firstDelivery
                    ? List.of(new SQSBatchResponse.BatchItemFailure("not-a-message-of-this-batch"))
                    : List.of());
        };

        try (LocalFunction function = LocalFunction.of("bogus", handler, SQSEvent.class, 10, VISIBILITY);
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function, settings(10, true)).start()) {
            Eventually.until("6 deletes", WAIT, () -> mapping.counters().recordsDeleted() == 6);

            receiveCounts.forEach((body, counts) -> assertEquals(List.of("1", "2"), counts, body));
            assertEquals(6, receiveCounts.size());
            assertEquals(6, mapping.counters().recordsReportedFailed());
        }
    }

    @Test
    void withoutReportBatchItemFailuresTheResponseIsIgnoredAndTheBatchDeleted() {
        String url = ELASTIC_MQ.queues().create(VISIBILITY);
        ELASTIC_MQ.queues().send(url, IntStream.range(0, 5).mapToObj(i -> "m" + i).toList());
        RequestHandler<SQSEvent, SQSBatchResponse> reportsEverything = (event, context) -> new SQSBatchResponse(
                event.getRecords().stream().map(r -> new SQSBatchResponse.BatchItemFailure(r.getMessageId())).toList());

        try (LocalFunction function = LocalFunction.of("ignored", reportsEverything, SQSEvent.class, 10, VISIBILITY);
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function, settings(10, false)).start()) {
            Eventually.until("5 deletes", WAIT, () -> mapping.counters().recordsDeleted() == 5);

            assertEquals(5, mapping.counters().records());
            assertEquals(0, mapping.counters().recordsReportedFailed());
            assertEquals(0, QueueDepth.of(ELASTIC_MQ.sqs(), url));
        }
    }

    @Test
    void aMessageTheFunctionAlwaysThrowsOnMovesToTheDeadLetterQueueAndNothingElseStalls() {
        ElasticMqShardQueues.Urls shard = ElasticMqShardQueues.defaults().withPrefix("throws").withCount(1)
                .withMaxReceiveCount(3).withVisibilityTimeout(VISIBILITY).create(ELASTIC_MQ.sqs());
        String url = shard.queues().get(0);
        List<String> bodies = new ArrayList<>(IntStream.range(0, 19).mapToObj(i -> "ok-" + i).toList());
        bodies.add(7, "poison");
        ELASTIC_MQ.queues().send(url, bodies);
        Map<String, Integer> processed = new ConcurrentHashMap<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            for (SQSEvent.SQSMessage record : event.getRecords()) {
                if (record.getBody().equals("poison")) {
                    throw new IllegalStateException("cannot handle " + record.getMessageId());
                }
                processed.merge(record.getBody(), 1, Integer::sum);
            }
            return null;
        };

        try (LocalFunction function = LocalFunction.of("throws", handler, SQSEvent.class, 10, VISIBILITY);
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function, settings(1, false)).start()) {
            Eventually.until("the poison message in the DLQ", WAIT, () -> QueueDepth.of(ELASTIC_MQ.sqs(), shard.deadLetterQueues().get(0)) == 1);
            Eventually.until("19 deletes", WAIT, () -> mapping.counters().recordsDeleted() == 19);

            assertEquals(3, mapping.counters().invocationErrors());
            assertEquals(19, processed.size());
            processed.forEach((body, count) -> assertEquals(1, count, body));
            assertEquals(0, QueueDepth.of(ELASTIC_MQ.sqs(), url));
        }
        assertEquals(List.of("poison"), ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(shard.deadLetterQueues().get(0)))
                .messages().stream().map(Message::body).toList());
    }

    @Test
    void aMessageReportedFailedEveryTimeMovesToTheDeadLetterQueueWithoutTakingItsBatchAlong() {
        ElasticMqShardQueues.Urls shard = ElasticMqShardQueues.defaults().withPrefix("reported").withCount(1)
                .withMaxReceiveCount(2).withVisibilityTimeout(VISIBILITY).create(ELASTIC_MQ.sqs());
        String url = shard.queues().get(0);
        List<String> bodies = new ArrayList<>(IntStream.range(0, 29).mapToObj(i -> "ok-" + i).toList());
        bodies.add(3, "poison");
        ELASTIC_MQ.queues().send(url, bodies);
        Map<String, Integer> processed = new ConcurrentHashMap<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage record : event.getRecords()) {
                if (record.getBody().equals("poison")) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
                } else {
                    processed.merge(record.getBody(), 1, Integer::sum);
                }
            }
            return new SQSBatchResponse(failures);
        };

        try (LocalFunction function = LocalFunction.of("reported", handler, SQSEvent.class, 10, VISIBILITY);
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function, settings(10, true)).start()) {
            Eventually.until("the poison message in the DLQ", WAIT, () -> QueueDepth.of(ELASTIC_MQ.sqs(), shard.deadLetterQueues().get(0)) == 1);
            Eventually.until("29 deletes", WAIT, () -> mapping.counters().recordsDeleted() == 29);

            assertEquals(2, mapping.counters().recordsReportedFailed());
            assertEquals(0, mapping.counters().invocationErrors());
            assertEquals(29, processed.size());
            processed.forEach((body, count) -> assertEquals(1, count, body));
            assertEquals(0, QueueDepth.of(ELASTIC_MQ.sqs(), url));
        }
    }

    private static SqsEventSourceMappingSettings settings(int batchSize, boolean reportBatchItemFailures) {
        return SqsEventSourceMappingSettings.builder()
                .batchSize(batchSize)
                .maxConcurrency(2)
                .reportBatchItemFailures(reportBatchItemFailures)
                .build();
    }
}
