package dev.wsfanout.local.sqs;

import dev.wsfanout.local.Eventually;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.wsfanout.local.lambda.LocalFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concurrency, delays, batching windows and shutting down. */
class SqsEventSourceMappingLifecycleTest {

    @RegisterExtension
    static final ElasticMqTestServer ELASTIC_MQ = new ElasticMqTestServer();

    private static final Duration WAIT = Duration.ofSeconds(20);




    /** 2 is below the number of pollers (5), 7 above it: slots, not pollers, bound the invocations. */
    @ParameterizedTest(name = "maxConcurrency {0}")
    @ValueSource(ints = {2, 7})
    void concurrentInvocationsReachButNeverExceedMaxConcurrency(int maxConcurrency) {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(30));
        ELASTIC_MQ.queues().send(url, IntStream.range(0, 24).mapToObj(i -> "m" + i).toList());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        RequestHandler<SQSEvent, SQSBatchResponse> slow = (event, context) -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return null;
        };
        SqsEventSourceMappingSettings settings = SqsEventSourceMappingSettings.builder()
                .batchSize(1).maxConcurrency(maxConcurrency).build();

        try (LocalFunction function = LocalFunction.of("slow", slow, SQSEvent.class, 50, Duration.ofSeconds(30));
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function, settings).start()) {
            Eventually.until("24 deletes", WAIT, () -> mapping.counters().recordsDeleted() == 24);
        }
        assertEquals(maxConcurrency, mostRunning.get());
    }

    @Test
    void aDelayedMessageReachesTheFunctionOnlyAfterItsDelay() {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(30));
        Map<String, Long> arrivedNanos = new ConcurrentHashMap<>();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            event.getRecords().forEach(record -> arrivedNanos.put(record.getBody(), System.nanoTime()));
            return null;
        };

        try (LocalFunction function = LocalFunction.of("delay", handler, SQSEvent.class, 10, Duration.ofSeconds(30));
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function,
                     SqsEventSourceMappingSettings.defaults()).start()) {
            long sentNanos = System.nanoTime();
            ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("delayed").delaySeconds(2));
            ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("immediate"));
            Eventually.until("both messages deleted", WAIT, () -> mapping.counters().recordsDeleted() == 2);

            assertTrue(arrivedNanos.get("immediate") < arrivedNanos.get("delayed"), "the delayed message arrived first");
            long delayMillis = TimeUnit.NANOSECONDS.toMillis(arrivedNanos.get("delayed") - sentNanos);
            assertTrue(delayMillis >= 1900, "delayed message arrived after " + delayMillis + " ms");
        }
    }

    @Test
    void aBatchingWindowGathersMessagesThatArriveWithinIt() throws InterruptedException {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(30));
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            batchSizes.add(event.getRecords().size());
            return null;
        };
        SqsEventSourceMappingSettings settings = SqsEventSourceMappingSettings.builder()
                .maximumBatchingWindow(Duration.ofSeconds(1)).maxConcurrency(2).build();

        try (LocalFunction function = LocalFunction.of("window", handler, SQSEvent.class, 10, Duration.ofSeconds(30));
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function, settings).start()) {
            for (int i = 0; i < 4; i++) {
                int n = i;
                ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("m" + n));
                Thread.sleep(100);
            }
            Eventually.until("4 deletes", WAIT, () -> mapping.counters().recordsDeleted() == 4);
        }
        assertTrue(batchSizes.size() < 4, "every message was invoked on its own: " + batchSizes);
    }

    @Test
    void closeReturnsWithoutWaitingOutTheLongPollAndWhatTheAbandonedPollTakesIsReleased() {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(60));
        AtomicInteger invocations = new AtomicInteger();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            invocations.incrementAndGet();
            return null;
        };

        try (LocalFunction function = LocalFunction.of("idle", handler, SQSEvent.class, 10, Duration.ofSeconds(30))) {
            SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function,
                    SqsEventSourceMappingSettings.builder().waitTimeSeconds(20).build()).start();
            pause(300);
            long before = System.nanoTime();
            mapping.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
            assertTrue(closeMillis < 5_000, "close() waited " + closeMillis + " ms for the 20 s long polls");

            // The pollers' requests are still open on the server and one of them takes this message;
            // it must come back long before the queue's 60 s visibility timeout.
            ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("after close"));
            List<Message> found = new ArrayList<>();
            Eventually.until("the message to be receivable", Duration.ofSeconds(25), () -> {
                found.addAll(ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages());
                return !found.isEmpty();
            });
            assertEquals("after close", found.get(0).body());
            assertEquals(0, invocations.get());
        }
    }

    @Test
    void closeWaitsForTheInvocationInFlightAndItsDelete() {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(30));
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
            started.countDown();
            pause(500);
            finished.incrementAndGet();
            return null;
        };

        try (LocalFunction function = LocalFunction.of("busy", handler, SQSEvent.class, 10, Duration.ofSeconds(30))) {
            SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function,
                    SqsEventSourceMappingSettings.defaults()).start();
            ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("in flight"));
            Eventually.until("the invocation to start", WAIT, () -> started.getCount() == 0);
            mapping.close();

            assertEquals(1, finished.get());
            assertEquals(1, mapping.counters().recordsDeleted());
            assertEquals(0, QueueDepth.of(ELASTIC_MQ.sqs(), url));
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
