package dev.wsfanout.local.faults;

import dev.wsfanout.testkit.ElasticMqExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.wsfanout.local.sqs.ElasticMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real SQS clients (JSON protocol) through the proxy to a real ElasticMQ: what each fault looks like to the SDK. */
@ExtendWith(ElasticMqExtension.class)
class FaultProxySqsTest {

    /** The run's shared ElasticMQ (ElasticMqExtension); this class's queues have names of their own. */
    private static ElasticMqServer elasticMq;
    /** Straight to ElasticMQ: what is really in the queues. */
    private static SqsClient direct;
    private static final AtomicInteger QUEUES = new AtomicInteger();

    private FaultProxy proxy;
    private SqsClient client;

    @BeforeAll
    static void startElasticMq(ElasticMqServer server) {
        elasticMq = server;
        direct = TestClients.sqs(elasticMq.endpoint(), TestClients.SDK_DEFAULTS);
    }

    @AfterAll
    static void closeClient() {
        direct.close();
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.start(elasticMq.endpoint(), FaultPlan.none());
        client = TestClients.sqs(proxy.endpoint(), TestClients.NO_RETRIES);
    }

    @AfterEach
    void stopProxy() {
        client.close();
        proxy.close();
    }

    @Test
    void withoutFaultsEveryRequestIsForwardedUntouched() {
        String url = client.createQueue(r -> r.queueName("proxied-" + QUEUES.incrementAndGet())).queueUrl();
        client.sendMessageBatch(r -> r.queueUrl(url).entries(entries("a", "b")));

        List<String> bodies = client.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages().stream().map(Message::body).sorted().toList();

        assertEquals(List.of("a", "b"), bodies);
        assertEquals(3, proxy.counters().forwarded());
        assertEquals(1, proxy.counters().seen(AwsService.SQS, "SendMessageBatch"));
    }

    @Test
    void throttleOnSendMessageBatchIsRequestThrottledAndIsNotApplied() {
        String url = queue();
        proxy.plan(plan(FaultRule.builder().service(AwsService.SQS).operation("SendMessageBatch").fault(FaultKind.THROTTLE)));

        RequestThrottledException e = assertThrows(RequestThrottledException.class,
                () -> client.sendMessageBatch(r -> r.queueUrl(url).entries(entries("a"))));

        assertEquals(400, e.statusCode());
        assertEquals("RequestThrottled", e.awsErrorDetails().errorCode());
        assertTrue(e.isThrottlingException());
        assertEquals(List.of(), receiveAll(url));
        assertEquals(1, proxy.counters().injected(FaultKind.THROTTLE));
    }

    @Test
    void throttleReachesTheAsyncClientAsRequestThrottled() {
        String url = queue();
        proxy.plan(plan(FaultRule.builder().service(AwsService.SQS).fault(FaultKind.THROTTLE)));
        try (SqsAsyncClient async = TestClients.sqsAsync(proxy.endpoint(), TestClients.NO_RETRIES)) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> async.sendMessageBatch(r -> r.queueUrl(url).entries(entries("a"))).join());

            RequestThrottledException throttled = assertInstanceOf(RequestThrottledException.class, e.getCause());
            assertTrue(throttled.isThrottlingException());
        }
    }

    @Test
    void serverErrorIsA500InternalError() {
        String url = queue();
        proxy.plan(plan(FaultRule.builder().service(AwsService.SQS).operation("SendMessage").fault(FaultKind.SERVER_ERROR)));

        SqsException e = assertThrows(SqsException.class, () -> client.sendMessage(r -> r.queueUrl(url).messageBody("a")));

        assertEquals(SqsException.class, e.getClass());
        assertEquals(500, e.statusCode());
        assertEquals("InternalError", e.awsErrorDetails().errorCode());
    }

    @Test
    void responseLostOnSendMessageLeavesTheMessageInTheQueue() {
        String url = queue();
        proxy.plan(plan(FaultRule.builder().service(AwsService.SQS).operation("SendMessage").fault(FaultKind.RESPONSE_LOST)));

        SdkClientException e = assertThrows(SdkClientException.class, () -> client.sendMessage(r -> r.queueUrl(url).messageBody("sent")));

        assertInstanceOf(IOException.class, e.getCause(), e.toString());
        assertEquals(List.of("sent"), receiveAll(url));
    }

    @Test
    void withTheSdksDefaultRetriesAThrottledBatchIsRetriedAndSent() {
        String url = queue();
        proxy.plan(plan(FaultRule.builder().service(AwsService.SQS).operation("SendMessageBatch").nth(1).fault(FaultKind.THROTTLE)));
        try (SqsClient retrying = TestClients.sqs(proxy.endpoint(), TestClients.SDK_DEFAULTS)) {
            retrying.sendMessageBatch(r -> r.queueUrl(url).entries(entries("a")));
        }
        assertEquals(List.of("a"), receiveAll(url));
        assertEquals(2, proxy.counters().seen(AwsService.SQS, "SendMessageBatch"));
        assertEquals(1, proxy.counters().forwarded(AwsService.SQS, "SendMessageBatch"));
    }

    @Test
    void resourceIsTheQueueNameAtTheEndOfTheQueueUrl() {
        String faulted = queue();
        String spared = queue();
        String faultedName = faulted.substring(faulted.lastIndexOf('/') + 1);
        proxy.plan(plan(FaultRule.builder().service(AwsService.SQS).resource(faultedName).fault(FaultKind.SERVER_ERROR)));

        client.sendMessage(r -> r.queueUrl(spared).messageBody("a"));
        assertThrows(SqsException.class, () -> client.sendMessage(r -> r.queueUrl(faulted).messageBody("a")));
        assertThrows(SqsException.class, () -> client.getQueueUrl(r -> r.queueName(faultedName)));

        assertEquals(2, proxy.counters().injected(FaultKind.SERVER_ERROR));
    }

    private static String queue() {
        String name = "faults-" + QUEUES.incrementAndGet();
        return direct.createQueue(r -> r.queueName(name)).queueUrl();
    }

    private static List<String> receiveAll(String url) {
        return direct.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages().stream().map(Message::body).sorted().toList();
    }

    private static List<SendMessageBatchRequestEntry> entries(String... bodies) {
        return IntStream.range(0, bodies.length)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies[i]).build())
                .toList();
    }

    private static FaultPlan plan(FaultRule.Builder rule) {
        return FaultPlan.builder().rule(rule.build()).build();
    }
}
