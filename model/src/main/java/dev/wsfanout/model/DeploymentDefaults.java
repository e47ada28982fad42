package dev.wsfanout.model;

import java.time.Duration;

/**
 * The deployment settings the CDK app ({@code DeployConfig}, {@code FanoutFunction}, the shard queues)
 * and the local stack ({@code LocalDeploymentOptions}) both start from, so a local broadcast runs what a
 * default deployment runs. Each is written here only; docs/deploy.md lists them with their context keys.
 */
public final class DeploymentDefaults {

    /** Maximum concurrency of each shard's SQS event-source mapping (SQS allows 2..1000). */
    public static final int POST_MESSAGE_CONCURRENCY = 2;

    /** The postMessage function's timeout. */
    public static final int POST_MESSAGE_TIMEOUT_SECONDS = 20;

    /**
     * The shard queues' visibility timeout is this many postMessage timeouts: AWS advises at least six
     * times the consuming function's timeout.
     */
    public static final int VISIBILITY_TIMEOUT_FACTOR = 6;

    /** Receives before a chunk message moves to its shard's dead-letter queue. */
    public static final int MAX_RECEIVE_COUNT = 5;

    /**
     * Chunk messages per postMessage invocation: the shard queues' event-source mapping BatchSize
     * (10 is the most Lambda takes without a batching window).
     */
    public static final int SQS_BATCH_SIZE = 10;

    /** Distributed Map MaxConcurrency: child executions at once. */
    public static final int MAP_MAX_CONCURRENCY = 40;

    /** Distributed Map ToleratedFailurePercentage. */
    public static final int TOLERATED_FAILURE_PERCENTAGE = 0;

    /**
     * Partitions per Distributed Map child: ItemBatcher's MaxItemsPerBatch. statemachine/broadcast.asl.json
     * writes it as a literal; a test in the cdk module compares them.
     */
    public static final int MAP_ITEMS_PER_BATCH = 10;

    /** How long the state machine waits for deliveries to settle. */
    public static final int DELIVERY_DEADLINE_SECONDS = 600;

    /** The state machine's tally poll interval. */
    public static final int POLL_INTERVAL_SECONDS = 1;

    private DeploymentDefaults() {
    }

    public static Duration postMessageTimeout() {
        return Duration.ofSeconds(POST_MESSAGE_TIMEOUT_SECONDS);
    }

    public static Duration deliveryDeadline() {
        return Duration.ofSeconds(DELIVERY_DEADLINE_SECONDS);
    }

    public static Duration pollInterval() {
        return Duration.ofSeconds(POLL_INTERVAL_SECONDS);
    }

    /** The shard queues' visibility timeout for a postMessage function that may run {@code postMessageTimeout}. */
    public static Duration visibilityTimeout(Duration postMessageTimeout) {
        return postMessageTimeout.multipliedBy(VISIBILITY_TIMEOUT_FACTOR);
    }
}
