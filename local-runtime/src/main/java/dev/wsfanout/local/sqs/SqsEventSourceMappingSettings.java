package dev.wsfanout.local.sqs;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of Lambda's SQS event-source mapping that the local mapping honours, with Lambda's
 * ranges. Build with {@link #builder()}.
 *
 * @param batchSize               records per invocation at most, 1..10 (Lambda's BatchSize without a batching window)
 * @param maxConcurrency          concurrent invocations of this mapping at most, 2..1000 (ScalingConfig.MaximumConcurrency)
 * @param reportBatchItemFailures whether the function's SQSBatchResponse is read (FunctionResponseTypes ReportBatchItemFailures)
 * @param maximumBatchingWindow   how long to keep gathering records before invoking, 0..300 s (MaximumBatchingWindowInSeconds)
 * @param waitTimeSeconds         ReceiveMessage long-poll wait, 0..20 s (Lambda uses 20, the default). Shorter waits
 *                                cost CPU while the queue is idle: every empty poll is a full request on both sides
 */
public record SqsEventSourceMappingSettings(int batchSize, int maxConcurrency, boolean reportBatchItemFailures,
                                            Duration maximumBatchingWindow, int waitTimeSeconds) {

    public static final int DEFAULT_BATCH_SIZE = 10;
    public static final int DEFAULT_MAX_CONCURRENCY = 5;
    public static final int DEFAULT_WAIT_TIME_SECONDS = 20;
    private static final Duration MAX_BATCHING_WINDOW = Duration.ofSeconds(300);

    public SqsEventSourceMappingSettings {
        Objects.requireNonNull(maximumBatchingWindow, "maximumBatchingWindow");
        if (batchSize < 1 || batchSize > 10) {
            throw new IllegalArgumentException("SQS event-source mapping: batchSize must be 1..10, was " + batchSize);
        }
        if (maxConcurrency < 2 || maxConcurrency > 1000) {
            throw new IllegalArgumentException("SQS event-source mapping: maxConcurrency must be 2..1000, was " + maxConcurrency);
        }
        if (maximumBatchingWindow.isNegative() || maximumBatchingWindow.compareTo(MAX_BATCHING_WINDOW) > 0) {
            throw new IllegalArgumentException("SQS event-source mapping: maximumBatchingWindow must be 0..300 s, was "
                    + maximumBatchingWindow);
        }
        if (waitTimeSeconds < 0 || waitTimeSeconds > 20) {
            throw new IllegalArgumentException("SQS event-source mapping: waitTimeSeconds must be 0..20, was " + waitTimeSeconds);
        }
    }

    /** Lambda's defaults (batch 10, no partial batch responses, no batching window, 20 s long polls), concurrency 5. */
    public static SqsEventSourceMappingSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
        private boolean reportBatchItemFailures;
        private Duration maximumBatchingWindow = Duration.ZERO;
        private int waitTimeSeconds = DEFAULT_WAIT_TIME_SECONDS;

        private Builder() {
        }

        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        public Builder maxConcurrency(int value) {
            this.maxConcurrency = value;
            return this;
        }

        public Builder reportBatchItemFailures(boolean value) {
            this.reportBatchItemFailures = value;
            return this;
        }

        public Builder maximumBatchingWindow(Duration value) {
            this.maximumBatchingWindow = value;
            return this;
        }

        public Builder waitTimeSeconds(int value) {
            this.waitTimeSeconds = value;
            return this;
        }

        public SqsEventSourceMappingSettings build() {
            return new SqsEventSourceMappingSettings(batchSize, maxConcurrency, reportBatchItemFailures,
                    maximumBatchingWindow, waitTimeSeconds);
        }
    }
}
