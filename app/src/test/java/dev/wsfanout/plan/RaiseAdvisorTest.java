package dev.wsfanout.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RaiseAdvisorTest {

    private static List<RaiseStep> advise(SimulationParameters parameters, Design design, int steps) {
        SimulationResult baseline = new PipelineSimulation(parameters).run(design);
        return new RaiseAdvisor(steps).advise(parameters, design, baseline);
    }

    @Test
    void whenTheFleetCanOutrunTheQuotaRaiseTheApiGatewayThrottleFirstAndItPaysOff() {
        // A fleet ceiling of 10 x 10 x 1,000 = 100,000 posts/s: only the quota holds it back.
        SimulationParameters fast = SimulationParameters.defaults(200_000).toBuilder()
                .mappingMaxConcurrency(10).postRate(1000).build();
        List<RaiseStep> steps = advise(fast, Design.WSFANOUT, 1);

        RaiseStep first = steps.get(0);
        assertEquals(Resource.API_GATEWAY_THROTTLE, first.resource());
        assertTrue(first.raised());
        assertEquals("--rps 10000 --burst 5000", first.from());
        assertTrue(first.completionAfterSeconds() < first.completionBeforeSeconds() / 2,
                first.completionBeforeSeconds() + " s -> " + first.completionAfterSeconds() + " s");
        assertTrue(first.nextBottleneck() != Resource.API_GATEWAY_THROTTLE || first.to().startsWith("--rps 160000"),
                "doubled until something else binds, or four times: " + first.to());
    }

    @Test
    void withATinyLambdaConcurrencyRaiseLambdaFirst() {
        SimulationParameters parameters = SimulationParameters.builder().connections(50_000).lambdaConcurrency(4).build();

        RaiseStep first = advise(parameters, Design.WSFANOUT, 1).get(0);

        assertEquals(Resource.LAMBDA_CONCURRENCY, first.resource());
        assertEquals("--lambda-concurrency 4", first.from());
    }

    @Test
    void aResourceNobodyCanRaiseEndsTheSequence() {
        // Quota to spare everywhere: the broadcast is as fast as its latencies.
        SimulationParameters parameters = SimulationParameters.builder().connections(1_000).rps(100_000).burst(50_000).build();

        List<RaiseStep> steps = advise(parameters, Design.WSFANOUT, 3);

        RaiseStep last = steps.get(steps.size() - 1);
        assertFalse(last.raised());
        assertEquals(last.completionBeforeSeconds(), last.completionAfterSeconds());
    }
}
