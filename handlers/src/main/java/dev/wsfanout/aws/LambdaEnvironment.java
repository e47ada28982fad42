package dev.wsfanout.aws;

import dev.wsfanout.model.FanoutConfig;

import java.util.Map;

/**
 * The configuration and client factory a handler's no-argument constructor (the one Lambda calls)
 * builds from the process environment, read once.
 */
public record LambdaEnvironment(FanoutConfig config, AwsClients clients) {

    public static LambdaEnvironment fromSystem() {
        Map<String, String> env = System.getenv();
        FanoutConfig config = FanoutConfig.fromEnv(env);
        return new LambdaEnvironment(config, new AwsClients(config, env));
    }
}
