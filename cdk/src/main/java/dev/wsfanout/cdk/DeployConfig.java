package dev.wsfanout.cdk;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.wsfanout.model.CellsDefinitionSubstitutions;
import dev.wsfanout.model.DeploymentDefaults;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.stepfunctions.LogLevel;

/**
 * Every knob of the deployment. Each field name is also its CDK context key
 * ({@code cdk deploy -c mapMaxConcurrency=100}); the handler settings inside {@link #fanout()}
 * keep FanoutConfig's defaults and ranges, so AWS and the local stack start from the same values.
 * Out-of-range values are rejected here with the key's name.
 *
 * @param fanout                     what the handlers read from their environment (partition and shard
 *                                   counts, chunk size, POST_RATE, POST_CONCURRENCY, ...); table names and
 *                                   endpoints in it are ignored: the stack supplies the real ones
 * @param functions                  memory, timeout and reserved concurrency of each function
 * @param postMaxConcurrency         maximum concurrency of each shard's SQS event-source mapping (2..1000)
 * @param maxReceiveCount            receives before a chunk message moves to its shard's DLQ
 * @param mapMaxConcurrency          Distributed Map MaxConcurrency: child executions at once
 * @param toleratedFailurePercentage Distributed Map ToleratedFailurePercentage
 * @param deliveryDeadlineSeconds    how long the state machine waits for deliveries to settle; with
 *                                   pollIntervalSeconds it must fit a Standard execution's 25,000
 *                                   history events ({@link ExecutionHistoryBudget})
 * @param pollIntervalSeconds        the state machine's tally poll interval
 * @param logLevel                   the functions' application log level (JSON logs)
 * @param stateMachineLogLevel       the state machine's CloudWatch Logs level (OFF = no log group)
 * @param logRetentionDays           retention of every log group
 * @param xray                       X-Ray tracing on the state machine and the functions
 * @param pointInTimeRecovery        DynamoDB point-in-time recovery on the five tables
 * @param removalPolicy              what {@code cdk destroy} does to the tables and log groups
 * @param stageName                  the WebSocket API stage
 * @param throttleRateLimit          the stage's steady request rate per second
 * @param throttleBurstLimit         the stage's burst
 * @param sweeperRateMinutes         how often the sweeper runs
 * @param defaultRouteThrottleRateLimit  the $default route's steady rate per second (client messages)
 * @param defaultRouteThrottleBurstLimit the $default route's burst
 * @param resumeRouteThrottleRateLimit   the resume route's steady rate per second (reconnects and keep-alives)
 * @param resumeRouteThrottleBurstLimit  the resume route's burst
 * @param authorizer                 a Lambda REQUEST authorizer on $connect (false: anyone with the URL connects)
 * @param jwtIssuer                  an OIDC issuer (https URL) whose JWTs the authorizer accepts besides the
 *                                   stack's own tokens; empty = only the stack's own tokens
 * @param jwtAudience                the {@code aud} (Cognito: {@code client_id}) the issuer's JWTs must carry;
 *                                   required with jwtIssuer, refused without it
 * @param cellWaitSeconds            with {@code -c cells} only: how long one cellBroadcast call waits for a
 *                                   cell's execution before the cross-cell state machine asks again
 *                                   ({@link CellsDefinitionSubstitutions}); the function's timeout follows it;
 *                                   with the number of cells and deliveryDeadlineSeconds it must fit the
 *                                   cross-cell execution's 25,000 history events ({@link CrossCellHistoryBudget},
 *                                   checked where the global stack is built)
 */
public record DeployConfig(FanoutConfig fanout, Map<FanoutFunction, FunctionSettings> functions,
                           int postMaxConcurrency, int maxReceiveCount,
                           int mapMaxConcurrency, int toleratedFailurePercentage,
                           int deliveryDeadlineSeconds, int pollIntervalSeconds,
                           ApplicationLogLevel logLevel, LogLevel stateMachineLogLevel, int logRetentionDays,
                           boolean xray, boolean pointInTimeRecovery, RemovalPolicy removalPolicy,
                           String stageName, int throttleRateLimit, int throttleBurstLimit,
                           int sweeperRateMinutes, int defaultRouteThrottleRateLimit,
                           int defaultRouteThrottleBurstLimit, int resumeRouteThrottleRateLimit,
                           int resumeRouteThrottleBurstLimit, boolean authorizer, String jwtIssuer,
                           String jwtAudience, int cellWaitSeconds) {

    /** Distributed Map: at most 10,000 child executions at once (Step Functions guide, Distributed Map). */
    public static final int MAX_MAP_CONCURRENCY = 10_000;

    /** CloudFormation: at most 500 resources per stack (CloudFormation quotas). */
    public static final int CLOUDFORMATION_MAX_RESOURCES = 500;

    /**
     * What a shard adds to the template: its queue and DLQ, their two queue policies (TLS only), its
     * event source mapping and its DLQ alarm; CDK's overflow policies for postMessage's role come on
     * top at many shards (WsfanoutStackManyShardsTest counts the whole template).
     */
    static final int RESOURCES_PER_SHARD = 6;

    /**
     * The most shards a stack holds under CloudFormation's 500 resources: measured, not computed
     * (the overflow policies grow in steps), with Lambda's environment limit lifted, since that
     * refuses more than about 50 shards first: with the $connect authorizer (its function, secret and
     * permission), X-Ray, the broadcaster policy, the history table and the resume route, 67 shards
     * synthesize 494 resources, 68 synthesize 500. WsfanoutStackManyShardsTest fails when the
     * largest stack that synthesizes no longer adds up to this measurement.
     */
    public static final int MAX_SHARD_COUNT = 67;
    static final int RESOURCES_AT_MAX_SHARD_COUNT = 494;

    /**
     * cellWaitSeconds' range: under 10 s the cross-cell machine spends its history on polls (each
     * call writes about 7 events per cell); 600 s keeps one call, with its margin
     * ({@link GlobalFunction#CALL_MARGIN_SECONDS}), well inside Lambda's 900 s timeout.
     */
    static final int MIN_CELL_WAIT_SECONDS = 10;
    static final int MAX_CELL_WAIT_SECONDS = 600;

    private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    public DeployConfig {
        functions = Map.copyOf(functions);
        for (FanoutFunction f : FanoutFunction.values()) {
            FunctionSettings s = functions.get(f);
            if (s == null) {
                throw new IllegalArgumentException("no settings for function " + f.key());
            }
            requireIn(f.memoryKey(), s.memoryMb(), 128, 10_240);
            requireIn(f.timeoutKey(), s.timeoutSeconds(), 1, 900);
            if (s.reservedConcurrency().isPresent()) {
                requireIn(f.reservedConcurrencyKey(), s.reservedConcurrency().getAsInt(), 0, 100_000);
            }
        }
        // SQS's own bounds for an event-source mapping's maximum concurrency.
        requireIn("postMaxConcurrency", postMaxConcurrency, 2, 1000);
        requireIn("maxReceiveCount", maxReceiveCount, 1, 1000);
        // Distributed Map runs at most 10,000 child executions at once (docs/aws-limits.md).
        requireIn("mapMaxConcurrency", mapMaxConcurrency, 1, MAX_MAP_CONCURRENCY);
        requireIn("toleratedFailurePercentage", toleratedFailurePercentage, 0, 100);
        requireIn("deliveryDeadlineSeconds", deliveryDeadlineSeconds, 1, 86_400);
        requireIn("pollIntervalSeconds", pollIntervalSeconds, 1, 3600);
        ExecutionHistoryBudget.require(deliveryDeadlineSeconds, pollIntervalSeconds);
        if (fanout != null && fanout.shardCount() > MAX_SHARD_COUNT) {
            throw new IllegalArgumentException("shardCount=" + fanout.shardCount() + " is out of range for a "
                    + "deployment; allowed: 1.." + MAX_SHARD_COUNT + ": each shard adds " + RESOURCES_PER_SHARD
                    + " resources (queue, DLQ, their queue policies, an event source mapping, a DLQ alarm) and "
                    + "CloudFormation allows " + CLOUDFORMATION_MAX_RESOURCES + " resources per stack ("
                    + MAX_SHARD_COUNT + " shards synthesize " + RESOURCES_AT_MAX_SHARD_COUNT + "); Lambda's 4 KB "
                    + "environment limit may allow fewer (SHARD_QUEUE_URLS lists every shard)");
        }
        LogRetention.ofDays(logRetentionDays);
        if (stageName == null || !STAGE_NAME.matcher(stageName).matches()) {
            throw new IllegalArgumentException("stageName='" + stageName
                    + "' is not a stage name; use 1..128 letters, digits, '-' or '_'");
        }
        requireIn("throttleRateLimit", throttleRateLimit, 1, 1_000_000);
        requireIn("throttleBurstLimit", throttleBurstLimit, 1, 1_000_000);
        requireIn("sweeperRateMinutes", sweeperRateMinutes, 1, 1440);
        requireIn("defaultRouteThrottleRateLimit", defaultRouteThrottleRateLimit, 1, 1_000_000);
        requireIn("defaultRouteThrottleBurstLimit", defaultRouteThrottleBurstLimit, 1, 1_000_000);
        requireIn("resumeRouteThrottleRateLimit", resumeRouteThrottleRateLimit, 1, 1_000_000);
        requireIn("resumeRouteThrottleBurstLimit", resumeRouteThrottleBurstLimit, 1, 1_000_000);
        jwtIssuer = jwtIssuer == null ? "" : jwtIssuer.trim();
        jwtAudience = jwtAudience == null ? "" : jwtAudience.trim();
        requireJwtSettings(authorizer, jwtIssuer, jwtAudience);
        requireIn("cellWaitSeconds", cellWaitSeconds, MIN_CELL_WAIT_SECONDS, MAX_CELL_WAIT_SECONDS);
    }

    /** The OIDC issuer's settings as the authorizer (IssuerKeys) will demand them, refused here instead of at cold start. */
    private static void requireJwtSettings(boolean authorizer, String jwtIssuer, String jwtAudience) {
        if (!jwtIssuer.isEmpty()) {
            URI uri;
            try {
                uri = URI.create(jwtIssuer);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("jwtIssuer='" + jwtIssuer + "' is not an https URL; give the "
                        + "issuer exactly as its tokens' iss claim names it (e.g. "
                        + "https://cognito-idp.<region>.amazonaws.com/<user pool id>)");
            }
            if (jwtAudience.isEmpty()) {
                throw new IllegalArgumentException("jwtIssuer=" + jwtIssuer + " needs jwtAudience: the aud (Cognito: "
                        + "the app client id) its tokens must carry, so that tokens the issuer signed for other "
                        + "applications do not open this one");
            }
            if (!authorizer) {
                throw new IllegalArgumentException("jwtIssuer=" + jwtIssuer + " has no effect with authorizer=false "
                        + "(nothing checks tokens); drop authorizer=false or jwtIssuer");
            }
        } else if (!jwtAudience.isEmpty()) {
            throw new IllegalArgumentException("jwtAudience=" + jwtAudience + " is set without jwtIssuer; it names "
                    + "the audience of an OIDC issuer's tokens, so set jwtIssuer too (the stack's own tokens carry "
                    + "the stack name as their audience)");
        }
    }

    public static DeployConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public FunctionSettings function(FanoutFunction function) {
        return functions.get(function);
    }

    private static void requireIn(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + "=" + value + " is out of range; allowed: " + min + ".." + max);
        }
    }

    /**
     * Starts from the defaults (docs/deploy.md lists them; those the local stack shares are
     * {@link DeploymentDefaults}); each setter replaces one value.
     */
    public static final class Builder {
        private FanoutConfig fanout = FanoutConfig.defaults();
        private final Map<FanoutFunction, FunctionSettings> functions = new EnumMap<>(FanoutFunction.class);
        private int postMaxConcurrency = DeploymentDefaults.POST_MESSAGE_CONCURRENCY;
        private int maxReceiveCount = DeploymentDefaults.MAX_RECEIVE_COUNT;
        private int mapMaxConcurrency = DeploymentDefaults.MAP_MAX_CONCURRENCY;
        private int toleratedFailurePercentage = DeploymentDefaults.TOLERATED_FAILURE_PERCENTAGE;
        private int deliveryDeadlineSeconds = DeploymentDefaults.DELIVERY_DEADLINE_SECONDS;
        private int pollIntervalSeconds = DeploymentDefaults.POLL_INTERVAL_SECONDS;
        private ApplicationLogLevel logLevel = ApplicationLogLevel.INFO;
        private LogLevel stateMachineLogLevel = LogLevel.ERROR;
        private int logRetentionDays = 14;
        private boolean xray = false;
        private boolean pointInTimeRecovery = true;
        private RemovalPolicy removalPolicy = RemovalPolicy.RETAIN;
        private String stageName = "prod";
        private int throttleRateLimit = 1000;
        private int throttleBurstLimit = 500;
        private int sweeperRateMinutes = 15;
        // Keep-alives of 120,000 clients every 4 minutes; with connects (API Gateway's 500/s) it is the
        // 1,000 RPS of the account throttle that the posting fleet (90% of 10,000) leaves.
        private int defaultRouteThrottleRateLimit = 500;
        private int defaultRouteThrottleBurstLimit = 1000;
        // Under the history partition's 3,000 strongly consistent read units/s (WebSocketEndpoint): a
        // resume that missed nothing reads one small item, one unit, which leaves room for replays (a
        // full one, 102 entries of under 200 bytes, is about 5 units).
        private int resumeRouteThrottleRateLimit = 2000;
        private int resumeRouteThrottleBurstLimit = 4000;
        private boolean authorizer = true;
        private String jwtIssuer = "";
        private String jwtAudience = "";
        private int cellWaitSeconds = CellsDefinitionSubstitutions.DEFAULT_CELL_WAIT_SECONDS;

        private Builder() {
            for (FanoutFunction f : FanoutFunction.values()) {
                functions.put(f, f.defaults());
            }
        }

        public Builder fanout(FanoutConfig value) { fanout = value; return this; }
        public Builder function(FanoutFunction function, FunctionSettings value) { functions.put(function, value); return this; }
        public Builder postMaxConcurrency(int value) { postMaxConcurrency = value; return this; }
        public Builder maxReceiveCount(int value) { maxReceiveCount = value; return this; }
        public Builder mapMaxConcurrency(int value) { mapMaxConcurrency = value; return this; }
        public Builder toleratedFailurePercentage(int value) { toleratedFailurePercentage = value; return this; }
        public Builder deliveryDeadlineSeconds(int value) { deliveryDeadlineSeconds = value; return this; }
        public Builder pollIntervalSeconds(int value) { pollIntervalSeconds = value; return this; }
        public Builder logLevel(ApplicationLogLevel value) { logLevel = value; return this; }
        public Builder stateMachineLogLevel(LogLevel value) { stateMachineLogLevel = value; return this; }
        public Builder logRetentionDays(int value) { logRetentionDays = value; return this; }
        public Builder xray(boolean value) { xray = value; return this; }
        public Builder pointInTimeRecovery(boolean value) { pointInTimeRecovery = value; return this; }
        public Builder removalPolicy(RemovalPolicy value) { removalPolicy = value; return this; }
        public Builder stageName(String value) { stageName = value; return this; }
        public Builder throttleRateLimit(int value) { throttleRateLimit = value; return this; }
        public Builder throttleBurstLimit(int value) { throttleBurstLimit = value; return this; }
        public Builder sweeperRateMinutes(int value) { sweeperRateMinutes = value; return this; }
        public Builder defaultRouteThrottleRateLimit(int value) { defaultRouteThrottleRateLimit = value; return this; }
        public Builder defaultRouteThrottleBurstLimit(int value) { defaultRouteThrottleBurstLimit = value; return this; }
        public Builder resumeRouteThrottleRateLimit(int value) { resumeRouteThrottleRateLimit = value; return this; }
        public Builder resumeRouteThrottleBurstLimit(int value) { resumeRouteThrottleBurstLimit = value; return this; }
        public Builder authorizer(boolean value) { authorizer = value; return this; }
        public Builder jwtIssuer(String value) { jwtIssuer = value; return this; }
        public Builder jwtAudience(String value) { jwtAudience = value; return this; }
        public Builder cellWaitSeconds(int value) { cellWaitSeconds = value; return this; }

        public DeployConfig build() {
            return new DeployConfig(fanout, functions, postMaxConcurrency, maxReceiveCount, mapMaxConcurrency,
                    toleratedFailurePercentage, deliveryDeadlineSeconds, pollIntervalSeconds, logLevel,
                    stateMachineLogLevel, logRetentionDays, xray, pointInTimeRecovery, removalPolicy, stageName,
                    throttleRateLimit, throttleBurstLimit, sweeperRateMinutes, defaultRouteThrottleRateLimit,
                    defaultRouteThrottleBurstLimit, resumeRouteThrottleRateLimit, resumeRouteThrottleBurstLimit,
                    authorizer, jwtIssuer, jwtAudience, cellWaitSeconds);
        }
    }
}
