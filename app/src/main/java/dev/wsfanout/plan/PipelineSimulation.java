package dev.wsfanout.plan;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The capacity model: a discrete-event simulation of one broadcast through the deployed pipeline on
 * AWS. Latencies are events on a shared clock; the stages that act continuously (pollers, child
 * starts, post pacing) act every {@link #TICK_MICROS}, and each tick is blamed on the resource that
 * held the broadcast back then. Deterministic for given parameters (their {@code seed} included).
 */
public final class PipelineSimulation {

    /** 10 ms: well under every modelled latency but the shortest posts, and 100 steps per second. */
    static final long TICK_MICROS = 10_000;
    private static final double TICK_SECONDS = TICK_MICROS / 1e6;

    private final SimulationParameters parameters;

    public PipelineSimulation(SimulationParameters parameters) {
        this.parameters = parameters;
    }

    public SimulationResult run(Design design) {
        return new Run(design).execute();
    }

    /** One simulated broadcast: the shared clock, quotas and counters, and the design's pipeline. */
    private final class Run {
        private final Design design;
        private final EventScheduler scheduler = new EventScheduler();
        private final LatencySampler latency = new LatencySampler(parameters.seed(), parameters.jitter());
        private final DeliveryProgress progress = new DeliveryProgress(parameters.connections());
        private final ApiGatewayThrottle api = new ApiGatewayThrottle(parameters.rps(), parameters.burst(), TICK_MICROS);
        private final LambdaAccount lambda = new LambdaAccount(scheduler, latency, parameters);
        private final SaturationLedger saturation = new SaturationLedger();
        private final Pipeline pipeline;

        Run(Design design) {
            this.design = design;
            this.pipeline = design == Design.WSFANOUT
                    ? new WsfanoutPipeline(parameters, scheduler, latency, lambda, api, progress, TICK_MICROS)
                    : new SeedPipeline(parameters, scheduler, latency, lambda, api, progress);
        }

        SimulationResult execute() {
            pipeline.start();
            scheduler.after(0, this::tick);
            long limitMicros = Math.round(parameters.maxSeconds() * 1e6);
            boolean eventsLeft = true;
            while (eventsLeft && pipeline.completedAtMicros().isEmpty()) {
                eventsLeft = scheduler.runNext(limitMicros);
            }
            return result(pipeline.completedAtMicros(), limitMicros);
        }

        private void tick() {
            Set<Resource> saturated = EnumSet.noneOf(Resource.class);
            pipeline.tick(TICK_SECONDS, saturated);
            if (api.drained(scheduler.now())) {
                saturated.add(Resource.API_GATEWAY_THROTTLE);
            }
            if (lambda.saturatedSinceLastTick()) {
                saturated.add(Resource.LAMBDA_CONCURRENCY);
            }
            // EnumSet iterates in declaration order, which runs from the end of the pipeline to its start.
            saturation.blame(saturated.isEmpty() ? Resource.PIPELINE_LATENCY : saturated.iterator().next());
            scheduler.after(TICK_MICROS, this::tick);
        }

        private SimulationResult result(OptionalLong completedAt, long limitMicros) {
            long endMicros = completedAt.orElse(limitMicros);
            Map<String, Long> invocations = new LinkedHashMap<>();
            long coldStarts = 0;
            for (LambdaFunction function : lambda.functions()) {
                invocations.put(function.name(), function.invocations());
                coldStarts += function.coldStarts();
            }
            return new SimulationResult(design, parameters.connections(), completedAt.isPresent(),
                    endMicros / 1e6, progress.lastDeliveryMicros() / 1e6,
                    saturation.bottleneck(), saturation.shares(),
                    progress.delivered(), progress.failed(), progress.throttled(), progress.duplicates(),
                    pipeline.shardMessagesSent(), pipeline.sendMessageBatchCalls(),
                    invocations, coldStarts, lambda.throttles(), lambda.peakConcurrency(),
                    boxed(progress.deliveriesPerSecond(endMicros)), boxed(progress.throttledPerSecond(endMicros)));
        }
    }

    private static List<Long> boxed(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
