package dev.wsfanout.plan;

import dev.wsfanout.model.FanoutConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioMatrixTest {

    @Test
    void atTheDefaultQuotaTheSizedFleetIsTheDefaultDeployment() {
        SimulationParameters defaults = SimulationParameters.defaults(600_000);

        SimulationParameters sized = ScenarioMatrix.sizedToQuota(defaults);

        assertEquals(FanoutConfig.DEFAULT_POST_RATE, sized.postRate(), 1e-9);
        assertEquals(defaults.mappingMaxConcurrency(), sized.mappingMaxConcurrency());
    }

    @Test
    void theFleetGrowsWithTheQuotaUntilItCarriesTheBudgetWithHeadroom() {
        for (double rps : ScenarioMatrix.RPS) {
            SimulationParameters sized = ScenarioMatrix.sizedToQuota(SimulationParameters.builder().rps(rps).build());

            assertEquals(ScenarioMatrix.BUDGET_SHARE_OF_QUOTA * rps, sized.postRate(), 1e-9);
            double carried = sized.postFleetSize() * sized.postCapacityPerInvocation();
            assertTrue(carried >= ScenarioMatrix.FLEET_HEADROOM * sized.postRate(),
                    rps + " RPS: " + sized.postFleetSize() + " invocations carry " + carried + "/s");
            double oneShardFewer = (sized.postFleetSize() - sized.shards()) * sized.postCapacityPerInvocation();
            assertTrue(sized.mappingMaxConcurrency() == 2 || oneShardFewer < ScenarioMatrix.FLEET_HEADROOM * sized.postRate(),
                    rps + " RPS: no more invocations per shard than the headroom needs");
        }
    }

    @Test
    void eachRowNamesTheFleetItSimulated() {
        SimulationParameters small = SimulationParameters.builder().partitions(100).build();

        String table = new ScenarioMatrix(0).render(small, List.of(Design.WSFANOUT));

        SimulationParameters sized = ScenarioMatrix.sizedToQuota(small.toBuilder().rps(100_000).build());
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%,.0f, %d x %d", sized.postRate(), sized.shards(),
                sized.mappingMaxConcurrency())), table);
    }
}
