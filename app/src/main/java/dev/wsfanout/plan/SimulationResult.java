package dev.wsfanout.plan;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one simulated broadcast.
 *
 * @param completionSeconds    when the broadcast is known to be over: for wsfanout, the state
 *                             machine's completion poll that sees every connection resolved; for the
 *                             seed, the last delivery. {@code maxSeconds} when not {@code finished}.
 * @param bottleneckShares     for each resource that was ever binding, the share of the time it was
 * @param throttled            posts answered 429 by the account throttle
 * @param duplicatePosts       accepted posts to a connection that already had the message
 * @param shardMessagesSent    messages sent to the delivery (shard) queues
 * @param sendMessageBatchCalls SendMessageBatch calls of all functions
 * @param invocations          Lambda invocations per function
 * @param deliveriesPerSecond  deliveries in each second from 0 to completion
 * @param throttledPerSecond   429s in each second from 0 to completion
 */
public record SimulationResult(
        Design design,
        int connections,
        boolean finished,
        double completionSeconds,
        double lastDeliverySeconds,
        Resource bottleneck,
        Map<Resource, Double> bottleneckShares,
        long delivered,
        long failed,
        long throttled,
        long duplicatePosts,
        long shardMessagesSent,
        long sendMessageBatchCalls,
        Map<String, Long> invocations,
        long coldStarts,
        long lambdaThrottles,
        int peakLambdaConcurrency,
        List<Long> deliveriesPerSecond,
        List<Long> throttledPerSecond) {

    public SimulationResult {
        bottleneckShares = Map.copyOf(bottleneckShares);
        invocations = Map.copyOf(invocations);
        deliveriesPerSecond = List.copyOf(deliveriesPerSecond);
        throttledPerSecond = List.copyOf(throttledPerSecond);
    }
}
