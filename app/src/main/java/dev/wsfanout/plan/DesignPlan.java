package dev.wsfanout.plan;

import java.util.List;

/** What {@code wsfanout plan} reports for one design: the simulated broadcast and what to raise first. */
public record DesignPlan(SimulationResult result, double quotaFloorSeconds, List<RaiseStep> raiseFirst) {

    public DesignPlan {
        raiseFirst = List.copyOf(raiseFirst);
    }

    /**
     * Simulates {@code design} and works out the raise sequence ({@code raiseSteps} steps at most).
     * The floor is what the API Gateway bucket alone allows: the burst at once, the rest at RPS.
     */
    public static DesignPlan of(SimulationParameters parameters, Design design, int raiseSteps) {
        SimulationResult result = new PipelineSimulation(parameters).run(design);
        double floor = Math.max(0, parameters.connections() - parameters.burst()) / parameters.rps();
        return new DesignPlan(result, floor, new RaiseAdvisor(raiseSteps).advise(parameters, design, result));
    }
}
