package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The seed design: swarm Lambda, one queue of partitions polled by the query function, one message
 * per connection on the shard queues, and the unpaced postMessage with batches of 10 messages. No
 * mapping sets a maximum concurrency (the seed predates that setting), and nothing watches for the
 * end: the broadcast is over with its last delivery.
 */
final class SeedPipeline implements Pipeline {

    private final DeliveryProgress progress;
    private final SqsBatchSender sender;
    private final SwarmFanout swarm;
    private final List<SqsQueue> shards;
    private final List<EventSourceMapping> mappings = new ArrayList<>();

    SeedPipeline(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                 LambdaAccount lambda, ApiGatewayThrottle api, DeliveryProgress progress) {
        this.progress = progress;
        this.shards = SqsQueue.shards(scheduler, parameters.shards());
        SqsQueue partitionQueue = new SqsQueue(scheduler);
        // One message per connection, the message inside: ten a call unless ten exceed the call's bytes.
        int seedMessageBytes = parameters.messageSize().storedBytes() + MessageSize.CHUNK_OVERHEAD_BYTES;
        this.sender = new SqsBatchSender(parameters, scheduler, latency, Math.max(1, Math.min(
                SimulationParameters.SQS_BATCH_ENTRIES, parameters.sqsMaxMessageBytes() / seedMessageBytes)));
        QueryFunction query = new QueryFunction(parameters, scheduler, latency, sender, shards, 1, false);
        this.swarm = new SwarmFanout(parameters, scheduler, lambda, sender, partitionQueue, query);
        mappings.add(new EventSourceMapping(scheduler, latency, parameters, partitionQueue, lambda,
                lambda.function("query"), swarm, parameters.esmMaxConcurrency()));
        LambdaFunction postFunction = lambda.function("postMessage");
        UnpacedPostMessage postMessage = new UnpacedPostMessage(parameters, scheduler, latency, api, progress);
        for (SqsQueue shard : shards) {
            mappings.add(new EventSourceMapping(scheduler, latency, parameters, shard, lambda, postFunction,
                    postMessage, parameters.esmMaxConcurrency()));
        }
    }

    @Override
    public void start() {
        swarm.start();
    }

    @Override
    public void tick(double tickSeconds, Set<Resource> saturated) {
        for (EventSourceMapping mapping : mappings) {
            mapping.tick(tickSeconds, saturated);
        }
    }

    @Override
    public OptionalLong completedAtMicros() {
        return progress.allResolved() ? OptionalLong.of(progress.lastDeliveryMicros()) : OptionalLong.empty();
    }

    @Override
    public long shardMessagesSent() {
        return SqsQueue.sentCount(shards);
    }

    @Override
    public long sendMessageBatchCalls() {
        return sender.calls();
    }
}
