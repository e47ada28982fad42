package dev.wsfanout.bench;

import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.stack.LocalDeploymentOptions;

/**
 * The local stack settings every section starts from: the stack's own defaults (POST_RATE = each
 * postMessage execution environment's share of the gateway limit), the gateway limit the
 * section asks for, and POST_RATE only when {@code --post-rate} sets it.
 */
final class BenchStacks {

    private BenchStacks() {
    }

    static LocalDeploymentOptions.Builder options(BenchSize size, double gatewayRatePerSecond, int gatewayBurst) {
        LocalDeploymentOptions.Builder options = LocalDeploymentOptions.builder().gatewayRateLimit(gatewayRatePerSecond, gatewayBurst);
        if (size.postRate() > 0) {
            options.env(FanoutConfig.POST_RATE, Integer.toString(size.postRate()));
        }
        return options;
    }

    static LocalDeploymentOptions.Builder options(BenchSize size) {
        return options(size, LocalDeploymentOptions.defaults().gatewayRatePerSecond(), LocalDeploymentOptions.defaults().gatewayBurst());
    }
}
