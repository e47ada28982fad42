package dev.wsfanout.plan;

import java.util.List;
import java.util.Set;

/**
 * Lambda's SQS poller for one queue. It starts with a few concurrent batches when messages appear
 * and adds more per minute while messages remain, up to its maximum concurrency (the AWS limit per
 * mapping, or the mapping's own ScalingConfig.MaximumConcurrency). Each batch is received, then
 * handed to one invocation of the function; its concurrency slot is held until the invocation ends.
 */
final class EventSourceMapping {

    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final SimulationParameters parameters;
    private final SqsQueue queue;
    private final LambdaAccount lambda;
    private final LambdaFunction function;
    private final BatchConsumer consumer;
    private final int maxConcurrency;
    private double scaledConcurrency;
    private int batchesInProgress;

    EventSourceMapping(EventScheduler scheduler, LatencySampler latency, SimulationParameters parameters,
                       SqsQueue queue, LambdaAccount lambda, LambdaFunction function, BatchConsumer consumer,
                       int maxConcurrency) {
        this.scheduler = scheduler;
        this.latency = latency;
        this.parameters = parameters;
        this.queue = queue;
        this.lambda = lambda;
        this.function = function;
        this.consumer = consumer;
        this.maxConcurrency = maxConcurrency;
    }

    /** Receives what the current scale allows, and adds to {@code saturated} what then holds messages back. */
    void tick(double tickSeconds, Set<Resource> saturated) {
        if (queue.awaitingRedriveCount() > 0) {
            saturated.add(Resource.FAILED_BATCH_REDRIVE);
        }
        if (queue.visibleCount() == 0) {
            return;
        }
        scaledConcurrency = scaledConcurrency == 0
                ? Math.min(maxConcurrency, parameters.esmStartConcurrency())
                : Math.min(maxConcurrency, scaledConcurrency + parameters.esmScaleUpRatePerMinute() / 60.0 * tickSeconds);
        while (batchesInProgress < (int) scaledConcurrency && queue.visibleCount() > 0) {
            List<SqsMessage> batch = queue.receive(parameters.esmBatchSize());
            batchesInProgress++;
            scheduler.after(latency.micros(parameters.sqsReceiveLatencyMs()),
                    () -> lambda.invoke(function, () -> consumer.consume(batch, queue, this::batchDone)));
        }
        if (queue.visibleCount() > 0 && batchesInProgress >= maxConcurrency) {
            saturated.add(Resource.MAPPING_MAX_CONCURRENCY);
        } else if (queue.visibleCount() > 0 && batchesInProgress >= (int) scaledConcurrency) {
            saturated.add(Resource.ESM_SCALE_UP);
        }
    }

    private void batchDone(List<SqsMessage> failed) {
        lambda.finish(function);
        batchesInProgress--;
        if (!failed.isEmpty()) {
            queue.returnAfter(Math.round(parameters.visibilityTimeoutSeconds() * 1e6), failed);
        }
    }
}
