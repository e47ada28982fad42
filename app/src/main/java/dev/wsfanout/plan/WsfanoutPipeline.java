package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * wsfanout: the state machine starts a Distributed Map whose children invoke the query function,
 * which sends chunks of ids to the shard queues; one event source mapping per shard (capped by its
 * maximum concurrency) feeds the paced postMessage function. When the map is done the state machine
 * reads the broadcast's tally every {@code PollIntervalSeconds} until every connection is resolved.
 */
final class WsfanoutPipeline implements Pipeline {

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final DeliveryProgress progress;
    private final SqsBatchSender sender;
    private final DistributedMapRun map;
    private final PostingFleet postMessage;
    private final List<SqsQueue> shards;
    private final List<EventSourceMapping> mappings = new ArrayList<>();
    private OptionalLong completedAt = OptionalLong.empty();

    WsfanoutPipeline(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                     LambdaAccount lambda, ApiGatewayThrottle api, DeliveryProgress progress, long tickMicros) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.progress = progress;
        this.shards = SqsQueue.shards(scheduler, parameters.shards());
        this.sender = new SqsBatchSender(parameters, scheduler, latency, parameters.messageSize().entriesPerBatch());
        QueryFunction query = new QueryFunction(parameters, scheduler, latency, sender, shards,
                parameters.messageSize().idsPerChunk(), true);
        this.map = new DistributedMapRun(parameters, scheduler, latency, lambda, lambda.function("query"), query,
                tickMicros, this::recordQueued);
        this.postMessage = new PostingFleet(parameters, scheduler, latency, api, progress);
        LambdaFunction postFunction = lambda.function("postMessage");
        // Provisioned mode cannot be combined with MaximumConcurrency: its pollers' invokes bound it instead.
        int mappingMax = parameters.esmProvisionedPollers() > 0
                ? Math.max(parameters.esmStartConcurrency(), Math.min(parameters.esmMaxConcurrency(), parameters.mappingMaxConcurrency()))
                : Math.min(parameters.esmMaxConcurrency(), parameters.mappingMaxConcurrency());
        for (SqsQueue shard : shards) {
            mappings.add(new EventSourceMapping(scheduler, latency, parameters, shard, lambda, postFunction,
                    postMessage, mappingMax));
        }
    }

    @Override
    public void start() {
        scheduler.after(latency.micros(parameters.sfnOverheadMs()), map::start);
    }

    @Override
    public void tick(double tickSeconds, Set<Resource> saturated) {
        map.tick();
        for (EventSourceMapping mapping : mappings) {
            mapping.tick(tickSeconds, saturated);
        }
        if (postMessage.tick()) {
            saturated.add(Resource.POST_PACING);
        }
        if (map.limitedByMaxConcurrency()) {
            saturated.add(Resource.MAP_CONCURRENCY);
        }
        if (map.limitedByStartRate()) {
            saturated.add(Resource.MAP_START_RATE);
        }
    }

    /**
     * The state machine after the Map (statemachine/broadcast.asl.json): RecordQueued writes the
     * totals, then WaitForDeliveries, ReadTally and Settled? repeat until every connection is resolved.
     */
    private void recordQueued() {
        scheduler.after(latency.micros(parameters.dynamoLatencyMs()), this::waitAndReadTally);
    }

    private void waitAndReadTally() {
        long wait = Math.round(parameters.pollIntervalSeconds() * 1e6);
        scheduler.after(wait + latency.micros(parameters.dynamoLatencyMs()), () -> {
            if (progress.allResolved()) {
                completedAt = OptionalLong.of(scheduler.now());
            } else {
                waitAndReadTally();
            }
        });
    }

    @Override
    public OptionalLong completedAtMicros() {
        return completedAt;
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
