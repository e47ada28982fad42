package dev.wsfanout.local.sqs;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh queues for one test each, and bulk sends to them. */
final class SqsTestQueues {

    private final SqsClient sqs;
    private final AtomicInteger created = new AtomicInteger();

    SqsTestQueues(SqsClient sqs) {
        this.sqs = sqs;
    }

    String create(Duration visibilityTimeout) {
        String name = "test-" + created.incrementAndGet();
        return sqs.createQueue(r -> r.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilityTimeout.toSeconds())))).queueUrl();
    }

    void send(String queueUrl, List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + 10, bodies.size()); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies.get(i)).build());
            }
            int failed = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed().size();
            if (failed > 0) {
                throw new AssertionError(failed + " messages could not be sent to " + queueUrl);
            }
        }
    }
}
