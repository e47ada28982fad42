package dev.wsfanout.cdk;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.stepfunctions.LogLevel;

/**
 * Reads the deployment's knobs from CDK context ({@code -c key=value} or cdk.json), where values
 * arrive as strings or JSON numbers/booleans. A value that does not parse, is out of range, or a
 * camelCase key wsfanout does not know (a typo would otherwise be ignored silently) is an error
 * naming the key.
 */
public final class DeployContext {

    public static final String STACK_NAME = "stackName";
    public static final String HANDLERS_JAR = "handlersJar";
    public static final String STATE_MACHINE_FILE = "stateMachineFile";
    /** {@code account/region,...}: one cell stack each and the global stack (docs/cells.md). */
    public static final String CELLS = "cells";
    public static final String HOME_ACCOUNT = "homeAccount";
    public static final String HOME_REGION = "homeRegion";
    public static final String CELLS_STATE_MACHINE_FILE = "cellsStateMachineFile";
    public static final String CELL_WAIT_SECONDS = "cellWaitSeconds";

    /** What only the global stack reads; without {@link #CELLS} there is none, so these are refused. */
    static final List<String> CELLS_ONLY_KEYS = List.of(HOME_ACCOUNT, HOME_REGION, CELLS_STATE_MACHINE_FILE,
            CELL_WAIT_SECONDS);

    /** Context key → the handler environment variable it sets (FanoutConfig keeps default and range). */
    static final Map<String, String> HANDLER_ENV_KEYS = orderedMap(
            "partitionCount", FanoutConfig.PARTITION_COUNT,
            "shardCount", FanoutConfig.SHARD_COUNT,
            "chunkSize", FanoutConfig.CHUNK_SIZE,
            "postRate", FanoutConfig.POST_RATE,
            "postConcurrency", FanoutConfig.POST_CONCURRENCY,
            "maxDeliveryAttempts", FanoutConfig.MAX_DELIVERY_ATTEMPTS,
            "connectionTtlSeconds", FanoutConfig.CONNECTION_TTL_SECONDS,
            "sqsMaxMessageBytes", FanoutConfig.SQS_MAX_MESSAGE_BYTES,
            "sweepProbeRate", FanoutConfig.SWEEP_PROBE_RATE);

    private static final List<String> DEPLOY_KEYS = List.of("postMaxConcurrency", "maxReceiveCount",
            "mapMaxConcurrency", "toleratedFailurePercentage", "deliveryDeadlineSeconds", "pollIntervalSeconds",
            "logLevel", "stateMachineLogLevel", "logRetentionDays", "xray", "pointInTimeRecovery", "removalPolicy",
            "stageName", "throttleRateLimit", "throttleBurstLimit", "sweeperRateMinutes",
            "defaultRouteThrottleRateLimit", "defaultRouteThrottleBurstLimit", "resumeRouteThrottleRateLimit",
            "resumeRouteThrottleBurstLimit", "authorizer", "jwtIssuer", "jwtAudience", CELL_WAIT_SECONDS);

    // CDK's own context keys contain ':' or '-' or start with '@'; only plain camelCase ones are ours.
    private static final Pattern OUR_KEY_SHAPE = Pattern.compile("[a-z][A-Za-z0-9]*");

    private final Map<String, Object> context;

    /**
     * @param context every context value the app sees (for the unknown-key check)
     */
    public DeployContext(Map<String, ?> context) {
        this.context = new HashMap<>(context);
        Set<String> known = knownKeys();
        Set<String> unknown = new TreeSet<>();
        for (String key : this.context.keySet()) {
            if (OUR_KEY_SHAPE.matcher(key).matches() && !known.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown context key(s) " + unknown
                    + "; wsfanout's keys are " + known + " (docs/deploy.md)");
        }
    }

    /** Every context key this app reads; docs/deploy.md's table lists each one. */
    public static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>(HANDLER_ENV_KEYS.keySet());
        keys.addAll(DEPLOY_KEYS);
        for (FanoutFunction f : FanoutFunction.values()) {
            keys.addAll(List.of(f.memoryKey(), f.timeoutKey(), f.reservedConcurrencyKey()));
        }
        keys.addAll(List.of(STACK_NAME, HANDLERS_JAR, STATE_MACHINE_FILE, CELLS, HOME_ACCOUNT, HOME_REGION,
                CELLS_STATE_MACHINE_FILE));
        return keys;
    }

    public DeployConfig config() {
        DeployConfig.Builder b = DeployConfig.builder().fanout(fanoutConfig());
        for (FanoutFunction f : FanoutFunction.values()) {
            FunctionSettings d = f.defaults();
            b.function(f, new FunctionSettings(
                    integer(f.memoryKey()).orElse(d.memoryMb()),
                    integer(f.timeoutKey()).orElse(d.timeoutSeconds()),
                    // 0 = unreserved (FunctionSettings); absent = the function's default.
                    integer(f.reservedConcurrencyKey()).map(OptionalInt::of).orElse(d.reservedConcurrency())));
        }
        integer("postMaxConcurrency").ifPresent(b::postMaxConcurrency);
        integer("maxReceiveCount").ifPresent(b::maxReceiveCount);
        integer("mapMaxConcurrency").ifPresent(b::mapMaxConcurrency);
        integer("toleratedFailurePercentage").ifPresent(b::toleratedFailurePercentage);
        integer("deliveryDeadlineSeconds").ifPresent(b::deliveryDeadlineSeconds);
        integer("pollIntervalSeconds").ifPresent(b::pollIntervalSeconds);
        choice("logLevel", ApplicationLogLevel.class).ifPresent(b::logLevel);
        choice("stateMachineLogLevel", LogLevel.class).ifPresent(b::stateMachineLogLevel);
        integer("logRetentionDays").ifPresent(b::logRetentionDays);
        bool("xray").ifPresent(b::xray);
        bool("pointInTimeRecovery").ifPresent(b::pointInTimeRecovery);
        choice("removalPolicy", RemovalPolicy.class, RemovalPolicy.RETAIN, RemovalPolicy.DESTROY)
                .ifPresent(b::removalPolicy);
        string("stageName").ifPresent(b::stageName);
        integer("throttleRateLimit").ifPresent(b::throttleRateLimit);
        integer("throttleBurstLimit").ifPresent(b::throttleBurstLimit);
        integer("sweeperRateMinutes").ifPresent(b::sweeperRateMinutes);
        integer("defaultRouteThrottleRateLimit").ifPresent(b::defaultRouteThrottleRateLimit);
        integer("defaultRouteThrottleBurstLimit").ifPresent(b::defaultRouteThrottleBurstLimit);
        integer("resumeRouteThrottleRateLimit").ifPresent(b::resumeRouteThrottleRateLimit);
        integer("resumeRouteThrottleBurstLimit").ifPresent(b::resumeRouteThrottleBurstLimit);
        bool("authorizer").ifPresent(b::authorizer);
        string("jwtIssuer").ifPresent(b::jwtIssuer);
        string("jwtAudience").ifPresent(b::jwtAudience);
        integer(CELL_WAIT_SECONDS).ifPresent(b::cellWaitSeconds);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad context value: " + e.getMessage(), e);
        }
    }

    /**
     * The cells of {@code -c cells}; empty for the single stack, which reads none of
     * {@link #CELLS_ONLY_KEYS}, so one of them without cells is refused rather than ignored.
     */
    public Optional<CellDirectory> cells() {
        Optional<String> list = string(CELLS);
        if (list.isEmpty()) {
            List<String> given = CELLS_ONLY_KEYS.stream().filter(context::containsKey).toList();
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("context value(s) " + given + " apply only to a deployment of "
                        + "cells; add -c " + CELLS + "=<account>/<region>,... or drop them (docs/cells.md)");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(CellDirectory.parseDeployed(list.get()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad context value '" + CELLS + "': " + e.getMessage()
                    + "; give -c " + CELLS + "=<account>/<region>,<account>/<region>,...", e);
        }
    }

    public Optional<String> string(String key) {
        Object value = context.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("context value '" + key + "' is empty");
        }
        return Optional.of(text);
    }

    private FanoutConfig fanoutConfig() {
        Map<String, String> env = new LinkedHashMap<>();
        HANDLER_ENV_KEYS.forEach((key, variable) -> integer(key).ifPresent(value -> {
            String text = Integer.toString(value);
            try {
                FanoutConfig.fromEnv(Map.of(variable, text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad context value '" + key + "': " + e.getMessage(), e);
            }
            env.put(variable, text);
        }));
        return FanoutConfig.fromEnv(env);
    }

    private Optional<Integer> integer(String key) {
        return string(key).map(text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context value '" + key + "' must be a whole number, got '"
                        + text + "'", e);
            }
        });
    }

    private Optional<Boolean> bool(String key) {
        return string(key).map(text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("context value '" + key
                    + "' must be true or false, got '" + text + "'");
        });
    }

    @SafeVarargs
    private <E extends Enum<E>> Optional<E> choice(String key, Class<E> type, E... allowed) {
        List<E> choices = allowed.length == 0 ? List.of(type.getEnumConstants()) : List.of(allowed);
        return string(key).map(text -> choices.stream()
                .filter(c -> c.name().equalsIgnoreCase(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("context value '" + key + "' must be one of "
                        + choices.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList()
                        + ", got '" + text + "'")));
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
