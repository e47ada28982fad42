package dev.wsfanout.bench;

import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.stack.LocalStackOptions;

/**
 * The local stack settings every section starts from. One deliberate difference from the stack's
 * defaults, POST_RATE: the local stack runs ONE postMessage handler instance for all its
 * concurrent invocations, so one RateGovernor paces all of them together, while on Lambda each
 * concurrent invocation has its own execution environment and governor. The stack's default
 * POST_RATE is one invocation's share (90% of the gateway limit ÷ 10 shards × 2 invocations =
 * 450/s at 10,000/s), which locally caps the whole fleet at 450/s. The bench therefore gives the
 * shared governor the fleet's sum, 90% of the gateway limit, unless {@code --post-rate} says otherwise.
 */
final class BenchStacks {

    private static final double FLEET_SHARE_OF_LIMIT = 0.9;

    private BenchStacks() {
    }

    static LocalStackOptions.Builder options(BenchSize size, double gatewayRatePerSecond, int gatewayBurst) {
        return LocalStackOptions.builder()
                .gatewayRateLimit(gatewayRatePerSecond, gatewayBurst)
                .env(FanoutConfig.POST_RATE, Integer.toString(postRate(size, gatewayRatePerSecond)));
    }

    static LocalStackOptions.Builder options(BenchSize size) {
        return options(size, LocalStackOptions.defaults().gatewayRatePerSecond(), LocalStackOptions.defaults().gatewayBurst());
    }

    static int postRate(BenchSize size, double gatewayRatePerSecond) {
        return size.postRate() > 0 ? size.postRate() : (int) Math.floor(FLEET_SHARE_OF_LIMIT * gatewayRatePerSecond);
    }
}
