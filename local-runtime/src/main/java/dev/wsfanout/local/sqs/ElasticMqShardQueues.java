package dev.wsfanout.local.sqs;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The shard queues {@code <prefix>-0 .. <prefix>-(count-1)}, each with its dead-letter queue
 * {@code <prefix>-N-dlq} and a RedrivePolicy. {@link #create} is idempotent: existing queues are
 * kept (messages included) and their attributes set to this definition.
 *
 * @param prefix            queue name prefix, {@code wsfanout-shard} by default
 * @param count             number of shards, 1..100
 * @param maxReceiveCount   receives before SQS moves a message to the DLQ, 1..1000
 * @param visibilityTimeout visibility timeout of the shard queues, 0..12 h, whole seconds
 */
public record ElasticMqShardQueues(String prefix, int count, int maxReceiveCount, Duration visibilityTimeout) {

    public static final String DEFAULT_PREFIX = "wsfanout-shard";
    public static final int DEFAULT_COUNT = 10;
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern QUEUE_NAME_CHARS = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int MAX_QUEUE_NAME_LENGTH = 80;
    private static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);

    /** The URLs {@link #create} returned, in shard order. */
    public record Urls(List<String> queues, List<String> deadLetterQueues) {
        public Urls {
            queues = List.copyOf(queues);
            deadLetterQueues = List.copyOf(deadLetterQueues);
        }
    }

    public ElasticMqShardQueues {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("shard queues: count must be 1..100, was " + count);
        }
        String longestName = prefix + "-" + (count - 1) + "-dlq";
        if (!QUEUE_NAME_CHARS.matcher(prefix).matches() || longestName.length() > MAX_QUEUE_NAME_LENGTH) {
            throw new IllegalArgumentException("shard queues: prefix '" + prefix + "' must be letters, digits, '-' or '_'"
                    + " and leave queue names of at most " + MAX_QUEUE_NAME_LENGTH + " characters");
        }
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new IllegalArgumentException("shard queues: maxReceiveCount must be 1..1000, was " + maxReceiveCount);
        }
        if (visibilityTimeout.isNegative() || visibilityTimeout.compareTo(MAX_VISIBILITY_TIMEOUT) > 0
                || visibilityTimeout.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("shard queues: visibilityTimeout must be whole seconds in 0..12 h, was "
                    + visibilityTimeout);
        }
    }

    /** The contract's queues: {@code wsfanout-shard-0..9}, maxReceiveCount 5, visibility 30 s. */
    public static ElasticMqShardQueues defaults() {
        return new ElasticMqShardQueues(DEFAULT_PREFIX, DEFAULT_COUNT, DEFAULT_MAX_RECEIVE_COUNT, DEFAULT_VISIBILITY_TIMEOUT);
    }

    public ElasticMqShardQueues withPrefix(String newPrefix) {
        return new ElasticMqShardQueues(newPrefix, count, maxReceiveCount, visibilityTimeout);
    }

    public ElasticMqShardQueues withCount(int newCount) {
        return new ElasticMqShardQueues(prefix, newCount, maxReceiveCount, visibilityTimeout);
    }

    public ElasticMqShardQueues withMaxReceiveCount(int newMaxReceiveCount) {
        return new ElasticMqShardQueues(prefix, count, newMaxReceiveCount, visibilityTimeout);
    }

    public ElasticMqShardQueues withVisibilityTimeout(Duration newVisibilityTimeout) {
        return new ElasticMqShardQueues(prefix, count, maxReceiveCount, newVisibilityTimeout);
    }

    public String queueName(int shard) {
        return prefix + "-" + shard;
    }

    public String deadLetterQueueName(int shard) {
        return queueName(shard) + "-dlq";
    }

    /** Creates (or updates) every shard queue and its DLQ; returns their URLs in shard order. */
    public Urls create(SqsClient sqs) {
        List<String> queues = new ArrayList<>(count);
        List<String> deadLetterQueues = new ArrayList<>(count);
        for (int shard = 0; shard < count; shard++) {
            String dlqUrl = createOrGet(sqs, deadLetterQueueName(shard));
            String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String queueUrl = createOrGet(sqs, queueName(shard));
            sqs.setQueueAttributes(r -> r.queueUrl(queueUrl).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilityTimeout.toSeconds()),
                    QueueAttributeName.REDRIVE_POLICY, redrivePolicy(dlqArn))));
            deadLetterQueues.add(dlqUrl);
            queues.add(queueUrl);
        }
        return new Urls(queues, deadLetterQueues);
    }

    private String redrivePolicy(String deadLetterTargetArn) {
        return "{\"deadLetterTargetArn\":\"" + deadLetterTargetArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
    }

    // Creating without attributes and then setting them keeps this idempotent even when an earlier
    // run created the queue with other attributes, which CreateQueue alone would reject.
    private static String createOrGet(SqsClient sqs, String name) {
        return sqs.createQueue(r -> r.queueName(name)).queueUrl();
    }
}
