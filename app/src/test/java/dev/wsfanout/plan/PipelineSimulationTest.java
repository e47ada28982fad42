package dev.wsfanout.plan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineSimulationTest {

    private static SimulationResult run(SimulationParameters parameters, Design design) {
        return new PipelineSimulation(parameters).run(design);
    }

    @Test
    void byDefaultTheFleetPostsAtNinetyPercentOfTheQuotaWithoutBeingThrottled() {
        SimulationResult result = run(SimulationParameters.defaults(300_000), Design.WSFANOUT);

        assertEquals(Resource.POST_PACING, result.bottleneck());
        assertEquals(0, result.throttled(), "the fleet's ceiling, 10 x 2 x 450 = 9,000/s, stays under 10,000 RPS");
        assertTrue(result.completionSeconds() < 300_000 / 8_000.0 + 10, "close to 9,000 deliveries/s: " + result.completionSeconds());
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void everyConnectionIsResolvedAndTheBroadcastFinishes(Design design) {
        SimulationResult result = run(SimulationParameters.defaults(100_000), design);

        assertTrue(result.finished(), "finished");
        assertEquals(100_000, result.delivered() + result.failed(), "delivered + failed");
        assertEquals(100_000, result.deliveriesPerSecond().stream().mapToLong(Long::longValue).sum(),
                "the per-second series adds up to the deliveries");
        assertTrue(result.completionSeconds() >= result.lastDeliverySeconds(), "completion is not before the last delivery");
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void completionIsNeverBelowConnectionsOverRps(Design design) {
        for (int connections : new int[] {20_000, 150_000}) {
            for (double rps : new double[] {5_000, 10_000, 50_000}) {
                SimulationParameters parameters = SimulationParameters.builder()
                        .connections(connections).rps(rps).burst((int) (rps / 2)).build();
                SimulationResult result = run(parameters, design);
                assertTrue(result.completionSeconds() >= connections / rps,
                        design + " " + connections + " at " + rps + " RPS took " + result.completionSeconds() + " s");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void evenWithoutLatencyNoDeliveryBeatsTheTokenBucket(Design design) {
        SimulationParameters instant = SimulationParameters.builder().connections(60_000).rps(5_000).burst(10_000)
                .coldStartMs(0).sfnOverheadMs(0).childStartMs(0).dynamoLatencyMs(0).sqsSendLatencyMs(0)
                .sqsReceiveLatencyMs(0).postLatencyMs(0.1).mapStartRate(100_000).build();

        SimulationResult result = run(instant, design);

        // The bucket gives its burst at once and then RPS tokens a second: 50,000 more posts need 10 s.
        assertTrue(result.lastDeliverySeconds() >= (60_000 - 10_000) / 5_000.0,
                "last delivery at " + result.lastDeliverySeconds() + " s");
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void raisingTheRpsQuotaNeverMakesTheBroadcastSlower(Design design) {
        double previous = Double.MAX_VALUE;
        for (double rps : new double[] {5_000, 10_000, 20_000, 40_000, 80_000}) {
            SimulationParameters parameters = SimulationParameters.builder()
                    .connections(100_000).rps(rps).burst((int) (rps / 2)).build();
            double completion = run(parameters, design).completionSeconds();
            assertTrue(completion <= previous, design + " at " + rps + " RPS took " + completion + " s, more than "
                    + previous + " s at half the quota");
            previous = completion;
        }
    }

    @Test
    void aFleetFasterThanTheQuotaIsHeldBackByTheApiGatewayThrottle() {
        SimulationResult result = run(SimulationParameters.defaults(300_000).toBuilder()
                .mappingMaxConcurrency(10).postRate(1000).build(), Design.WSFANOUT);

        assertEquals(Resource.API_GATEWAY_THROTTLE, result.bottleneck());
        assertTrue(result.bottleneckShares().get(Resource.API_GATEWAY_THROTTLE) > 0.5,
                "binding most of the time: " + result.bottleneckShares());
        assertTrue(result.throttled() > 0, "the rate governors find the quota by getting 429s");
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void withATinyLambdaConcurrencyLambdaIsTheBottleneck(Design design) {
        SimulationParameters parameters = SimulationParameters.builder().connections(50_000).lambdaConcurrency(4).build();

        SimulationResult result = run(parameters, design);

        assertEquals(Resource.LAMBDA_CONCURRENCY, result.bottleneck(), () -> "shares " + result.bottleneckShares());
        assertTrue(result.peakLambdaConcurrency() <= 4, "peak concurrency " + result.peakLambdaConcurrency());
        assertTrue(result.lambdaThrottles() > 0, "invocations were throttled");
    }

    @Test
    void theSeedSendsOneSqsMessagePerConnectionAndWsfanoutOnePerChunk() {
        // Enough quota that no ids are throttled and re-enqueued: only the first sends are counted.
        SimulationParameters parameters = SimulationParameters.builder().connections(300_000).rps(200_000).burst(100_000).build();

        SimulationResult seed = run(parameters, Design.SEED);
        SimulationResult wsfanout = run(parameters, Design.WSFANOUT);

        // 120 connections in each of 2,500 partitions: two chunks per partition.
        assertAll(
                () -> assertEquals(300_000, seed.shardMessagesSent(), "seed messages"),
                () -> assertEquals(5_000, wsfanout.shardMessagesSent(), "wsfanout messages"),
                () -> assertEquals(30_000, seed.invocations().get("postMessage"), "seed postMessage invocations"),
                // Ten chunks an invocation at most; each query child deals its 20 over the ten shards, two
                // a shard, so some batches the mappings take are not full.
                () -> assertTrue(wsfanout.invocations().get("postMessage") >= 500 && wsfanout.invocations().get("postMessage") <= 600,
                        "wsfanout postMessage invocations " + wsfanout.invocations().get("postMessage")),
                () -> assertEquals(250, wsfanout.invocations().get("query"), "one query invocation per Map child"));
    }

    @Test
    void wsfanoutMessagesStayNearConnectionsOverChunkSizeAtTheDefaultQuota() {
        SimulationResult result = run(SimulationParameters.defaults(600_000), Design.WSFANOUT);

        long firstSends = 600_000 / 100 + 2_500;
        assertTrue(result.shardMessagesSent() >= 600_000 / 100, "at least one message per chunk");
        assertTrue(result.shardMessagesSent() < 3 * firstSends,
                "re-enqueued retries stay a fraction: " + result.shardMessagesSent());
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void theSameParametersAndSeedGiveTheSameResult(Design design) {
        SimulationParameters parameters = SimulationParameters.defaults(80_000);

        SimulationResult first = run(parameters, design);
        SimulationResult second = run(parameters, design);
        SimulationResult otherSeed = run(parameters.toBuilder().seed(2).build(), design);

        assertEquals(first, second);
        assertNotEquals(first.deliveriesPerSecond(), otherSeed.deliveriesPerSecond(), "the seed drives the latencies");
    }

    @Test
    void aBroadcastThatCannotFinishInTimeIsReportedUnfinished() {
        SimulationParameters parameters = SimulationParameters.builder().connections(100_000).rps(1_000).burst(500)
                .maxSeconds(10).build();

        SimulationResult result = run(parameters, Design.WSFANOUT);

        assertFalse(result.finished(), "not finished");
        assertEquals(10.0, result.completionSeconds());
        assertTrue(result.delivered() < 100_000, "delivered " + result.delivered());
    }
}
