package dev.wsfanout.cdk;

import java.util.ArrayList;
import java.util.List;

import dev.wsfanout.model.DeploymentDefaults;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The shard queues the query step spreads chunks over, each with its dead-letter queue. SSE with
 * SQS-owned keys (no KMS permissions to hand out) and TLS-only access.
 */
public final class ShardQueues extends Construct {

    private final List<Queue> shards = new ArrayList<>();
    private final List<Queue> deadLetterQueues = new ArrayList<>();

    public ShardQueues(Construct scope, String id, DeployConfig config) {
        super(scope, id);
        int postMessageTimeout = config.function(FanoutFunction.POST_MESSAGE).timeoutSeconds();
        // Short explicit names keep SHARD_QUEUE_URLS inside Lambda's 4 KB environment at many shards.
        String prefix = Stack.of(this).getStackName() + "-shard-";
        for (int shard = 0; shard < config.fanout().shardCount(); shard++) {
            Queue dlq = Queue.Builder.create(this, "Shard" + shard + "Dlq")
                    .queueName(prefix + shard + "-dlq")
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .maxMessageSizeBytes(config.fanout().sqsMaxMessageBytes())
                    // The longest SQS allows, to leave time to inspect and redrive.
                    .retentionPeriod(Duration.days(14))
                    .build();
            shards.add(Queue.Builder.create(this, "Shard" + shard)
                    .queueName(prefix + shard)
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .maxMessageSizeBytes(config.fanout().sqsMaxMessageBytes())
                    .visibilityTimeout(Duration.seconds(DeploymentDefaults.VISIBILITY_TIMEOUT_FACTOR * postMessageTimeout))
                    .deadLetterQueue(DeadLetterQueue.builder()
                            .queue(dlq)
                            .maxReceiveCount(config.maxReceiveCount())
                            .build())
                    .build());
            deadLetterQueues.add(dlq);
        }
    }

    public List<Queue> shards() {
        return List.copyOf(shards);
    }

    public List<Queue> deadLetterQueues() {
        return List.copyOf(deadLetterQueues);
    }

    public List<String> shardArns() {
        return shards.stream().map(Queue::getQueueArn).toList();
    }

    /** SHARD_QUEUE_URLS: the shard URLs in shard order, comma-separated. */
    public String urlList() {
        return Fn.join(",", shards.stream().map(Queue::getQueueUrl).toList());
    }
}
