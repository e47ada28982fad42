package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers "what to raise first": simulate, double the bottleneck until another resource binds (or
 * it has been doubled {@link #MAX_DOUBLINGS} times), and repeat from there.
 */
public final class RaiseAdvisor {

    private static final int MAX_DOUBLINGS = 4;

    private final int maxSteps;

    public RaiseAdvisor(int maxSteps) {
        this.maxSteps = maxSteps;
    }

    public List<RaiseStep> advise(SimulationParameters parameters, Design design, SimulationResult baseline) {
        List<RaiseStep> steps = new ArrayList<>();
        SimulationParameters current = parameters;
        SimulationResult result = baseline;
        while (steps.size() < maxSteps) {
            Resource bottleneck = result.bottleneck();
            SimulationParameters raised = current;
            SimulationResult after = result;
            for (int doubling = 0; doubling < MAX_DOUBLINGS && after.bottleneck() == bottleneck; doubling++) {
                Optional<SimulationParameters> next = bottleneck.raise(raised);
                if (next.isEmpty()) {
                    break;
                }
                raised = next.get();
                after = new PipelineSimulation(raised).run(design);
            }
            if (raised == current) {
                steps.add(new RaiseStep(bottleneck, false, bottleneck.setting(current), bottleneck.setting(current),
                        result.completionSeconds(), result.completionSeconds(), bottleneck));
                break;
            }
            steps.add(new RaiseStep(bottleneck, true, bottleneck.setting(current), bottleneck.setting(raised),
                    result.completionSeconds(), after.completionSeconds(), after.bottleneck()));
            current = raised;
            result = after;
        }
        return steps;
    }
}
