package dev.wsfanout.plan;

import dev.wsfanout.model.DeploymentDefaults;
import dev.wsfanout.model.FanoutConfig;

/**
 * Everything the capacity model needs to know about one deployment. Three kinds of value live here,
 * and docs/capacity-model.md says which is which: AWS quotas (documented numbers, adjustable or not),
 * wsfanout's own settings (the environment of the handlers and the state machine's substitutions),
 * and assumptions (latencies, which only a measurement can pin down).
 *
 * <p>The compact constructor rejects a value out of range with a message that names the
 * {@code wsfanout plan} option, because that is where a bad value comes from.
 */
public record SimulationParameters(
        int connections,
        // AWS quotas
        double rps,
        int burst,
        int lambdaConcurrency,
        int lambdaScalePer10s,
        int esmInitialConcurrency,
        int esmScaleUpPerMinute,
        int esmMaxConcurrency,
        // wsfanout settings
        int partitions,
        int shards,
        int chunkSize,
        int mapConcurrency,
        int mapBatchSize,
        int mappingMaxConcurrency,
        int esmBatchSize,
        int postConcurrency,
        double postRate,
        int maxDeliveryAttempts,
        double pollIntervalSeconds,
        int querySendConcurrency,
        double visibilityTimeoutSeconds,
        int seedSdkAttempts,
        double seedSdkBackoffMs,
        int indexItemBytes,
        int messageBytes,
        int sqsMaxMessageBytes,
        boolean snapStart,
        int esmProvisionedPollers,
        // assumptions
        double coldStartMs,
        double snapStartRestoreMs,
        double postFrameMs,
        double lambdaEgressMbps,
        double sfnOverheadMs,
        double mapStartRate,
        double childStartMs,
        double dynamoLatencyMs,
        double sqsSendLatencyMs,
        double sqsReceiveLatencyMs,
        double postLatencyMs,
        double throttleRetryMs,
        double jitter,
        // simulation
        long seed,
        double maxSeconds) {

    /** A DynamoDB Query returns at most 1 MB per page (DynamoDB guide, Query pagination). */
    public static final int DYNAMO_PAGE_BYTES = 1_048_576;
    /** SendMessageBatch takes at most 10 entries (SQS guide, message quotas). */
    public static final int SQS_BATCH_ENTRIES = 10;

    public SimulationParameters {
        require("--connections", connections, 1, 100_000_000);
        require("--rps", rps, 1, 10_000_000);
        require("--burst", burst, 1, 10_000_000);
        require("--lambda-concurrency", lambdaConcurrency, 1, 1_000_000);
        require("--lambda-scale-per-10s", lambdaScalePer10s, 1, 1_000_000);
        require("--esm-initial-concurrency", esmInitialConcurrency, 1, 1000);
        require("--esm-scale-up-per-minute", esmScaleUpPerMinute, 0, 100_000);
        require("--esm-max-concurrency", esmMaxConcurrency, 2, 100_000);
        require("--partitions", partitions, 1, 100_000);
        require("--shards", shards, 1, 100);
        require("--chunk-size", chunkSize, 1, 1000);
        require("--map-concurrency", mapConcurrency, 1, 10_000);
        require("--map-batch-size", mapBatchSize, 1, 100_000);
        require("--mapping-max-concurrency", mappingMaxConcurrency, 2, 1000);
        require("--esm-batch-size", esmBatchSize, 1, 10);
        require("--post-concurrency", postConcurrency, 1, 2000);
        require("--post-rate", postRate, 1, 100_000);
        require("--max-delivery-attempts", maxDeliveryAttempts, 1, 20);
        require("--poll-interval", pollIntervalSeconds, 0.1, 3600);
        require("--query-send-concurrency", querySendConcurrency, 1, 10_000);
        require("--visibility-timeout", visibilityTimeoutSeconds, 0, 43_200);
        require("--seed-sdk-attempts", seedSdkAttempts, 1, 20);
        require("--seed-sdk-backoff-ms", seedSdkBackoffMs, 0, 60_000);
        require("--index-item-bytes", indexItemBytes, 1, 400_000);
        require("--message-bytes", messageBytes, 1, MessageSize.POST_TO_CONNECTION_MAX_BYTES);
        require("--sqs-max-message-bytes", sqsMaxMessageBytes, 1024, 1_048_576);
        require("--esm-provisioned-pollers", esmProvisionedPollers, 0, 2000);
        require("--snapstart-restore-ms", snapStartRestoreMs, 0, 60_000);
        require("--post-frame-ms", postFrameMs, 0, 60_000);
        require("--lambda-egress-mbps", lambdaEgressMbps, 1, 100_000);
        require("--cold-start-ms", coldStartMs, 0, 60_000);
        require("--sfn-overhead-ms", sfnOverheadMs, 0, 60_000);
        require("--map-start-rate", mapStartRate, 0.1, 1_000_000);
        require("--child-start-ms", childStartMs, 0, 60_000);
        require("--dynamo-latency-ms", dynamoLatencyMs, 0, 60_000);
        require("--sqs-send-latency-ms", sqsSendLatencyMs, 0, 60_000);
        require("--sqs-receive-latency-ms", sqsReceiveLatencyMs, 0, 60_000);
        require("--post-latency-ms", postLatencyMs, 0.1, 60_000);
        require("--throttle-retry-ms", throttleRetryMs, 1, 60_000);
        require("--jitter", jitter, 0, 0.9);
        require("--max-seconds", maxSeconds, 1, 86_400);
    }

    /** The documented defaults for {@code connections} connections. */
    public static SimulationParameters defaults(int connections) {
        return builder().connections(connections).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** What the message size changes (chunk size, SQS bytes, frames, DynamoDB units): {@link MessageSize}. */
    public MessageSize messageSize() {
        return MessageSize.of(this);
    }

    /** Invokes one provisioned event poller runs at most (Lambda guide, SQS provisioned mode). */
    public static final int INVOKES_PER_POLLER = 10;

    /** Batches a mapping starts with: 5 in the default mode, the minimum pollers' invokes in provisioned mode. */
    public int esmStartConcurrency() {
        return esmProvisionedPollers > 0 ? esmProvisionedPollers * INVOKES_PER_POLLER : esmInitialConcurrency;
    }

    /** Batches a mapping adds per minute: provisioned mode scales "3 times faster" (Lambda guide). */
    public double esmScaleUpRatePerMinute() {
        return esmProvisionedPollers > 0 ? 3.0 * esmScaleUpPerMinute : esmScaleUpPerMinute;
    }

    /** A new execution environment's start: a SnapStart restore when the functions use SnapStart (as deployed). */
    public double effectiveColdStartMs() {
        return snapStart ? snapStartRestoreMs : coldStartMs;
    }

    /**
     * Posts/s one postMessage invocation may start: POST_RATE, or fewer if the message is so large
     * that the invocation's network egress ({@code --lambda-egress-mbps}) cannot carry more.
     */
    public double effectivePostRate() {
        return Math.min(postRate, lambdaEgressMbps * 1e6 / 8 / messageBytes);
    }

    /** One post's round trip: {@code --post-latency-ms} plus {@code --post-frame-ms} per 32 KB frame after the first. */
    public double effectivePostLatencyMs() {
        return postLatencyMs + postFrameMs * (messageSize().frames() - 1);
    }

    /**
     * Connection ids per DynamoDB Query page: the query handler asks for ten chunks' worth a page,
     * and a page never exceeds 1 MB of index items.
     */
    public int indexItemsPerPage() {
        return Math.max(1, Math.min(DYNAMO_PAGE_BYTES / indexItemBytes, messageSize().idsPerChunk() * SQS_BATCH_ENTRIES));
    }

    private static void require(String option, double value, double min, double max) {
        if (Double.isNaN(value) || value < min || value > max) {
            throw new IllegalArgumentException(option + " must be between " + format(min) + " and " + format(max)
                    + ", got " + format(value));
        }
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** Starts from the defaults; every setter replaces one value. */
    public static final class Builder {
        private static final FanoutConfig HANDLER_DEFAULTS = FanoutConfig.defaults();

        private int connections = 600_000;
        private double rps = 10_000;
        private int burst = 5_000;
        private int lambdaConcurrency = 1_000;
        private int lambdaScalePer10s = 1_000;
        private int esmInitialConcurrency = 5;
        private int esmScaleUpPerMinute = 300;
        private int esmMaxConcurrency = 1_000;
        private int partitions = HANDLER_DEFAULTS.partitionCount();
        private int shards = HANDLER_DEFAULTS.shardCount();
        private int chunkSize = HANDLER_DEFAULTS.chunkSize();
        // A default deployment's settings (cdk DeployConfig and the local stack start from them too).
        private int mapConcurrency = DeploymentDefaults.MAP_MAX_CONCURRENCY;
        private int mapBatchSize = DeploymentDefaults.MAP_ITEMS_PER_BATCH;
        private int mappingMaxConcurrency = DeploymentDefaults.POST_MESSAGE_CONCURRENCY;
        private int esmBatchSize = DeploymentDefaults.SQS_BATCH_SIZE;
        private int postConcurrency = HANDLER_DEFAULTS.postConcurrency();
        private double postRate = HANDLER_DEFAULTS.postRate();
        private int maxDeliveryAttempts = HANDLER_DEFAULTS.maxDeliveryAttempts();
        private double pollIntervalSeconds = 1;
        private int querySendConcurrency = 20;
        private double visibilityTimeoutSeconds = 30;
        private int seedSdkAttempts = 4;
        private double seedSdkBackoffMs = 100;
        private int indexItemBytes = 40;
        private int messageBytes = 1_024;
        private int sqsMaxMessageBytes = HANDLER_DEFAULTS.sqsMaxMessageBytes();
        private boolean snapStart = true;
        private int esmProvisionedPollers = 0;
        private double snapStartRestoreMs = 400;
        private double postFrameMs = 2;
        private double lambdaEgressMbps = 600;
        private double coldStartMs = 1_000;
        private double sfnOverheadMs = 200;
        private double mapStartRate = 500;
        private double childStartMs = 50;
        private double dynamoLatencyMs = 10;
        private double sqsSendLatencyMs = 20;
        private double sqsReceiveLatencyMs = 50;
        private double postLatencyMs = 30;
        private double throttleRetryMs = 100;
        private double jitter = 0.2;
        private long seed = 1;
        private double maxSeconds = 3_600;

        private Builder() {
        }

        private Builder(SimulationParameters p) {
            connections = p.connections;
            rps = p.rps;
            burst = p.burst;
            lambdaConcurrency = p.lambdaConcurrency;
            lambdaScalePer10s = p.lambdaScalePer10s;
            esmInitialConcurrency = p.esmInitialConcurrency;
            esmScaleUpPerMinute = p.esmScaleUpPerMinute;
            esmMaxConcurrency = p.esmMaxConcurrency;
            partitions = p.partitions;
            shards = p.shards;
            chunkSize = p.chunkSize;
            mapConcurrency = p.mapConcurrency;
            mapBatchSize = p.mapBatchSize;
            mappingMaxConcurrency = p.mappingMaxConcurrency;
            esmBatchSize = p.esmBatchSize;
            postConcurrency = p.postConcurrency;
            postRate = p.postRate;
            maxDeliveryAttempts = p.maxDeliveryAttempts;
            pollIntervalSeconds = p.pollIntervalSeconds;
            querySendConcurrency = p.querySendConcurrency;
            visibilityTimeoutSeconds = p.visibilityTimeoutSeconds;
            seedSdkAttempts = p.seedSdkAttempts;
            seedSdkBackoffMs = p.seedSdkBackoffMs;
            indexItemBytes = p.indexItemBytes;
            messageBytes = p.messageBytes;
            sqsMaxMessageBytes = p.sqsMaxMessageBytes;
            snapStart = p.snapStart;
            esmProvisionedPollers = p.esmProvisionedPollers;
            snapStartRestoreMs = p.snapStartRestoreMs;
            postFrameMs = p.postFrameMs;
            lambdaEgressMbps = p.lambdaEgressMbps;
            coldStartMs = p.coldStartMs;
            sfnOverheadMs = p.sfnOverheadMs;
            mapStartRate = p.mapStartRate;
            childStartMs = p.childStartMs;
            dynamoLatencyMs = p.dynamoLatencyMs;
            sqsSendLatencyMs = p.sqsSendLatencyMs;
            sqsReceiveLatencyMs = p.sqsReceiveLatencyMs;
            postLatencyMs = p.postLatencyMs;
            throttleRetryMs = p.throttleRetryMs;
            jitter = p.jitter;
            seed = p.seed;
            maxSeconds = p.maxSeconds;
        }

        public Builder connections(int v) { connections = v; return this; }
        public Builder rps(double v) { rps = v; return this; }
        public Builder burst(int v) { burst = v; return this; }
        public Builder lambdaConcurrency(int v) { lambdaConcurrency = v; return this; }
        public Builder lambdaScalePer10s(int v) { lambdaScalePer10s = v; return this; }
        public Builder esmInitialConcurrency(int v) { esmInitialConcurrency = v; return this; }
        public Builder esmScaleUpPerMinute(int v) { esmScaleUpPerMinute = v; return this; }
        public Builder esmMaxConcurrency(int v) { esmMaxConcurrency = v; return this; }
        public Builder partitions(int v) { partitions = v; return this; }
        public Builder shards(int v) { shards = v; return this; }
        public Builder chunkSize(int v) { chunkSize = v; return this; }
        public Builder mapConcurrency(int v) { mapConcurrency = v; return this; }
        public Builder mapBatchSize(int v) { mapBatchSize = v; return this; }
        public Builder mappingMaxConcurrency(int v) { mappingMaxConcurrency = v; return this; }
        public Builder esmBatchSize(int v) { esmBatchSize = v; return this; }
        public Builder postConcurrency(int v) { postConcurrency = v; return this; }
        public Builder postRate(double v) { postRate = v; return this; }
        public Builder maxDeliveryAttempts(int v) { maxDeliveryAttempts = v; return this; }
        public Builder pollIntervalSeconds(double v) { pollIntervalSeconds = v; return this; }
        public Builder querySendConcurrency(int v) { querySendConcurrency = v; return this; }
        public Builder visibilityTimeoutSeconds(double v) { visibilityTimeoutSeconds = v; return this; }
        public Builder seedSdkAttempts(int v) { seedSdkAttempts = v; return this; }
        public Builder seedSdkBackoffMs(double v) { seedSdkBackoffMs = v; return this; }
        public Builder indexItemBytes(int v) { indexItemBytes = v; return this; }
        public Builder coldStartMs(double v) { coldStartMs = v; return this; }
        public Builder messageBytes(int v) { messageBytes = v; return this; }
        public Builder sqsMaxMessageBytes(int v) { sqsMaxMessageBytes = v; return this; }
        public Builder snapStart(boolean v) { snapStart = v; return this; }
        public Builder esmProvisionedPollers(int v) { esmProvisionedPollers = v; return this; }
        public Builder snapStartRestoreMs(double v) { snapStartRestoreMs = v; return this; }
        public Builder postFrameMs(double v) { postFrameMs = v; return this; }
        public Builder lambdaEgressMbps(double v) { lambdaEgressMbps = v; return this; }
        public Builder sfnOverheadMs(double v) { sfnOverheadMs = v; return this; }
        public Builder mapStartRate(double v) { mapStartRate = v; return this; }
        public Builder childStartMs(double v) { childStartMs = v; return this; }
        public Builder dynamoLatencyMs(double v) { dynamoLatencyMs = v; return this; }
        public Builder sqsSendLatencyMs(double v) { sqsSendLatencyMs = v; return this; }
        public Builder sqsReceiveLatencyMs(double v) { sqsReceiveLatencyMs = v; return this; }
        public Builder postLatencyMs(double v) { postLatencyMs = v; return this; }
        public Builder throttleRetryMs(double v) { throttleRetryMs = v; return this; }
        public Builder jitter(double v) { jitter = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder maxSeconds(double v) { maxSeconds = v; return this; }

        public SimulationParameters build() {
            SimulationParameters built = new SimulationParameters(connections, rps, burst, lambdaConcurrency, lambdaScalePer10s,
                    esmInitialConcurrency, esmScaleUpPerMinute, esmMaxConcurrency, partitions, shards, chunkSize,
                    mapConcurrency, mapBatchSize, mappingMaxConcurrency, esmBatchSize, postConcurrency, postRate,
                    maxDeliveryAttempts, pollIntervalSeconds,
                    querySendConcurrency, visibilityTimeoutSeconds, seedSdkAttempts, seedSdkBackoffMs, indexItemBytes,
                    messageBytes, sqsMaxMessageBytes, snapStart, esmProvisionedPollers, coldStartMs, snapStartRestoreMs,
                    postFrameMs, lambdaEgressMbps, sfnOverheadMs, mapStartRate, childStartMs,
                    dynamoLatencyMs, sqsSendLatencyMs, sqsReceiveLatencyMs, postLatencyMs, throttleRetryMs, jitter,
                    seed, maxSeconds);
            built.messageSize(); // a message no chunk fits beside is refused here, naming both options
            return built;
        }
    }
}
