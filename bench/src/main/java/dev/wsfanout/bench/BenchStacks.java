package dev.wsfanout.bench;

import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.stack.LocalStackOptions;

/**
 * The local stack settings every section starts from: the stack's own defaults (POST_RATE = each
 * postMessage execution environment's share of the gateway limit), the gateway limit the
 * section asks for, and POST_RATE only when {@code --post-rate} sets it.
 */
final class BenchStacks {

    private BenchStacks() {
    }

    static LocalStackOptions.Builder options(BenchSize size, double gatewayRatePerSecond, int gatewayBurst) {
        LocalStackOptions.Builder options = LocalStackOptions.builder().gatewayRateLimit(gatewayRatePerSecond, gatewayBurst);
        if (size.postRate() > 0) {
            options.env(FanoutConfig.POST_RATE, Integer.toString(size.postRate()));
        }
        return options;
    }

    static LocalStackOptions.Builder options(BenchSize size) {
        return options(size, LocalStackOptions.defaults().gatewayRatePerSecond(), LocalStackOptions.defaults().gatewayBurst());
    }
}
