package dev.wsfanout.local.sqs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElasticMqServerTest {

    @RegisterExtension
    static final ElasticMqTestServer ELASTIC_MQ = new ElasticMqTestServer();




    @Test
    void listensOnLoopbackAndNamesQueuesLikeAws() {
        assertEquals("127.0.0.1", ELASTIC_MQ.server().endpoint().getHost());
        String url = ELASTIC_MQ.sqs().createQueue(r -> r.queueName("naming")).queueUrl();
        assertEquals(ELASTIC_MQ.server().endpoint() + "/000000000000/naming", url);
        String arn = ELASTIC_MQ.sqs().getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        assertEquals("arn:aws:sqs:us-east-1:000000000000:naming", arn);
    }

    @Test
    void sendsInBatchesReceivesChangesVisibilityAndDeletesInBatches() {
        String url = ELASTIC_MQ.sqs().createQueue(r -> r.queueName("roundtrip")).queueUrl();
        SendMessageBatchResponse sent = ELASTIC_MQ.sqs().sendMessageBatch(r -> r.queueUrl(url).entries(IntStream.range(0, 10)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("body-" + i).build())
                .toList()));
        assertEquals(10, sent.successful().size());

        List<Message> received = new ArrayList<>();
        while (received.size() < 10) {
            received.addAll(ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages());
        }
        assertEquals("1", received.get(0).attributesAsStrings().get("ApproximateReceiveCount"));

        // Visibility 0 puts the message straight back: the next receive sees it a second time.
        Message first = received.get(0);
        ELASTIC_MQ.sqs().changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(0));
        Message again = ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
        assertEquals(first.messageId(), again.messageId());
        assertEquals("2", again.attributesAsStrings().get("ApproximateReceiveCount"));

        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (int i = 1; i < received.size(); i++) {
            deletes.add(DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(received.get(i).receiptHandle()).build());
        }
        deletes.add(DeleteMessageBatchRequestEntry.builder().id("d0").receiptHandle(again.receiptHandle()).build());
        DeleteMessageBatchResponse deleted = ELASTIC_MQ.sqs().deleteMessageBatch(r -> r.queueUrl(url).entries(deletes));
        assertEquals(10, deleted.successful().size());
        assertEquals(0, QueueDepth.of(ELASTIC_MQ.sqs(), url));
    }

    @Test
    void longPollReturnsAMessageSentWhileWaiting() throws Exception {
        String url = ELASTIC_MQ.sqs().createQueue(r -> r.queueName("longpoll")).queueUrl();
        Thread sender = new Thread(() -> {
            pause(500);
            ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("late"));
        });
        sender.start();
        List<Message> messages = ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(10)).messages();
        sender.join();
        assertEquals(List.of("late"), messages.stream().map(Message::body).toList());
    }

    @Test
    void delayedMessageIsInvisibleUntilItsDelayHasPassed() {
        String url = ELASTIC_MQ.sqs().createQueue(r -> r.queueName("delay")).queueUrl();
        ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("later").delaySeconds(2));
        assertTrue(ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages().isEmpty());
        assertEquals("1", ELASTIC_MQ.sqs().getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
        List<Message> later = ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages();
        assertEquals(List.of("later"), later.stream().map(Message::body).toList());
    }

    @Test
    void redrivePolicyMovesAMessageToTheDeadLetterQueueAfterMaxReceiveCount() {
        String dlq = ELASTIC_MQ.sqs().createQueue(r -> r.queueName("redrive-dlq")).queueUrl();
        String dlqArn = ELASTIC_MQ.sqs().getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String url = ELASTIC_MQ.sqs().createQueue(r -> r.queueName("redrive").attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}"))).queueUrl();
        ELASTIC_MQ.sqs().sendMessage(r -> r.queueUrl(url).messageBody("poison"));
        for (int receive = 1; receive <= 2; receive++) {
            Message message = ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages().get(0);
            ELASTIC_MQ.sqs().changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
        }
        assertTrue(ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages().isEmpty());
        List<Message> dead = ELASTIC_MQ.sqs().receiveMessage(r -> r.queueUrl(dlq).waitTimeSeconds(2)).messages();
        assertEquals(List.of("poison"), dead.stream().map(Message::body).toList());
    }

    @Test
    void aTakenPortIsReportedInOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ElasticMqServer.start(taken.getLocalPort()));
            assertEquals("cannot start ElasticMQ on 127.0.0.1:" + taken.getLocalPort() + ": port already in use",
                    e.getMessage());
        }
    }

    @Test
    void closeReleasesThePort() throws IOException {
        ElasticMqServer other = ElasticMqServer.start();
        int port = other.port();
        other.close();
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void rejectsAPortOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElasticMqServer.start(70000));
        assertEquals("ElasticMQ port must be 0..65535, was 70000", e.getMessage());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
