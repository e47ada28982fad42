package dev.wsfanout.plan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationParametersTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("--connections", (UnaryOperator<SimulationParameters.Builder>) b -> b.connections(0)),
                Arguments.of("--rps", (UnaryOperator<SimulationParameters.Builder>) b -> b.rps(0)),
                Arguments.of("--burst", (UnaryOperator<SimulationParameters.Builder>) b -> b.burst(-1)),
                Arguments.of("--lambda-concurrency", (UnaryOperator<SimulationParameters.Builder>) b -> b.lambdaConcurrency(0)),
                Arguments.of("--mapping-max-concurrency", (UnaryOperator<SimulationParameters.Builder>) b -> b.mappingMaxConcurrency(1)),
                Arguments.of("--esm-batch-size", (UnaryOperator<SimulationParameters.Builder>) b -> b.esmBatchSize(11)),
                Arguments.of("--map-concurrency", (UnaryOperator<SimulationParameters.Builder>) b -> b.mapConcurrency(10_001)),
                Arguments.of("--chunk-size", (UnaryOperator<SimulationParameters.Builder>) b -> b.chunkSize(1001)),
                Arguments.of("--post-latency-ms", (UnaryOperator<SimulationParameters.Builder>) b -> b.postLatencyMs(0)),
                Arguments.of("--jitter", (UnaryOperator<SimulationParameters.Builder>) b -> b.jitter(Double.NaN)));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aValueOutOfRangeIsRejectedNamingItsOption(String option, UnaryOperator<SimulationParameters.Builder> bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bad.apply(SimulationParameters.builder()).build());

        assertTrue(e.getMessage().startsWith(option + " must be between"), e.getMessage());
    }

    @Test
    void theDefaultsFollowTheHandlersConfiguration() {
        SimulationParameters defaults = SimulationParameters.defaults(1);

        assertEquals(2500, defaults.partitions());
        assertEquals(10, defaults.shards());
        assertEquals(100, defaults.chunkSize());
        assertEquals(dev.wsfanout.model.FanoutConfig.DEFAULT_POST_RATE, defaults.postRate());
        assertEquals(100, defaults.postConcurrency());
        assertEquals(4, defaults.maxDeliveryAttempts());
    }

    @Test
    void aQueryPageHoldsTenChunksUnlessTheOneMegabyteLimitCutsItShorter() {
        assertEquals(1000, SimulationParameters.defaults(1).indexItemsPerPage());
        assertEquals(1_048_576 / 2000, SimulationParameters.builder().chunkSize(1000).indexItemBytes(2000).build()
                .indexItemsPerPage());
    }

    @Test
    void toBuilderKeepsEveryValue() {
        SimulationParameters changed = SimulationParameters.builder().rps(12_345).coldStartMs(7).seed(99).build();

        assertEquals(changed, changed.toBuilder().build());
    }
}
