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

    private final SimulationParameters parameters;

    public PipelineSimulation(SimulationParameters parameters) {
        this.parameters = parameters;
    }

    public SimulationResult run(Design design) {
        EventScheduler scheduler = new EventScheduler();
        LatencySampler latency = new LatencySampler(parameters.seed(), parameters.jitter());
        DeliveryLedger ledger = new DeliveryLedger(parameters.connections());
        ApiGatewayThrottle api = new ApiGatewayThrottle(parameters.rps(), parameters.burst(), TICK_MICROS);
        LambdaAccount lambda = new LambdaAccount(scheduler, latency, parameters);
        Pipeline pipeline = design == Design.WSFANOUT
                ? new WsfanoutPipeline(parameters, scheduler, latency, lambda, api, ledger, TICK_MICROS)
                : new SeedPipeline(parameters, scheduler, latency, lambda, api, ledger);
        SaturationLedger saturation = new SaturationLedger();
        double tickSeconds = TICK_MICROS / 1e6;

        pipeline.start();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            Set<Resource> saturated = EnumSet.noneOf(Resource.class);
            pipeline.tick(tickSeconds, saturated);
            if (api.drained(scheduler.now())) {
                saturated.add(Resource.API_GATEWAY_THROTTLE);
            }
            if (lambda.saturatedSinceLastTick()) {
                saturated.add(Resource.LAMBDA_CONCURRENCY);
            }
            saturation.blame(saturated.isEmpty() ? Resource.PIPELINE_LATENCY : saturated.iterator().next());
            scheduler.after(TICK_MICROS, tick[0]);
        };
        scheduler.after(0, tick[0]);

        long limitMicros = Math.round(parameters.maxSeconds() * 1e6);
        while (pipeline.completedAtMicros().isEmpty() && scheduler.runNext(limitMicros)) {
            // each step runs one event; the loop ends when the broadcast completes or time runs out
        }
        OptionalLong completedAt = pipeline.completedAtMicros();
        long endMicros = completedAt.orElse(limitMicros);

        Map<String, Long> invocations = new LinkedHashMap<>();
        long coldStarts = 0;
        for (LambdaFunction function : lambda.functions()) {
            invocations.put(function.name(), function.invocations());
            coldStarts += function.coldStarts();
        }
        return new SimulationResult(design, parameters.connections(), completedAt.isPresent(),
                endMicros / 1e6, ledger.lastDeliveryMicros() / 1e6,
                saturation.bottleneck(), saturation.shares(),
                ledger.delivered(), ledger.failed(), ledger.throttled(), ledger.duplicates(),
                pipeline.shardMessagesSent(), pipeline.sendMessageBatchCalls(),
                invocations, coldStarts, lambda.throttles(), lambda.peakConcurrency(),
                boxed(ledger.deliveriesPerSecond(endMicros)), boxed(ledger.throttledPerSecond(endMicros)));
    }

    private static List<Long> boxed(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
