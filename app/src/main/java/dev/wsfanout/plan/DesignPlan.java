package dev.wsfanout.plan;

import java.util.List;

/**
 * What {@code wsfanout plan} reports for one design: the simulated broadcast, what to raise first,
 * and what the message size does to the limits it moves (tightest first; the first is the size
 * bottleneck).
 */
public record DesignPlan(SimulationResult result, double quotaFloorSeconds, List<RaiseStep> raiseFirst,
                         MessageSize messageSize, List<MessageSize.Load> sizeLimits, long apiGatewayBilledMessages) {

    public DesignPlan {
        raiseFirst = List.copyOf(raiseFirst);
        sizeLimits = List.copyOf(sizeLimits);
    }

    /**
     * Simulates {@code design} and works out the raise sequence ({@code raiseSteps} steps at most).
     * The floor is what the API Gateway bucket alone allows: the burst at once, the rest at RPS.
     */
    public static DesignPlan of(SimulationParameters parameters, Design design, int raiseSteps) {
        SimulationResult result = new PipelineSimulation(parameters).run(design);
        double floor = Math.max(0, parameters.connections() - parameters.burst()) / parameters.rps();
        MessageSize size = parameters.messageSize();
        long queries = design == Design.WSFANOUT ? result.invocations().getOrDefault("query", 0L) : 0;
        int children = (parameters.partitions() + parameters.mapBatchSize() - 1) / parameters.mapBatchSize();
        double window = children / parameters.mapStartRate();
        double peak = result.deliveriesPerSecond().stream().mapToLong(Long::longValue).max().orElse(0);
        List<MessageSize.Load> loads = size.loads(parameters, queries, window, peak);
        if (design == Design.SEED) {
            // The seed's query reads no broadcast record and keeps no ledger.
            loads = loads.stream().filter(l -> !l.limit().startsWith("broadcast record")
                    && !l.limit().startsWith("ledger")).toList();
        }
        // Every accepted post is one message to API Gateway's bill, in 32 KB units.
        long billed = (result.delivered() + result.duplicatePosts()) * size.frames();
        return new DesignPlan(result, floor, new RaiseAdvisor(raiseSteps).advise(parameters, design, result),
                size, loads, billed);
    }
}
