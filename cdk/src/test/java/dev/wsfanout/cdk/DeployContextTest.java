package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

import dev.wsfanout.model.FanoutConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.stepfunctions.LogLevel;

class DeployContextTest {

    private static DeployConfig read(Map<String, ?> context) {
        return new DeployContext(context).config();
    }

    @Test
    void withNoContextTheHandlerSettingsAreFanoutConfigDefaults() {
        DeployConfig config = read(Map.of());
        assertEquals(FanoutConfig.defaults().toEnv(), config.fanout().toEnv());
        assertEquals(2500, config.fanout().partitionCount());
        assertEquals(10, config.fanout().shardCount());
        assertEquals(100, config.fanout().chunkSize());
        assertEquals(450, config.fanout().postRate());
        assertEquals(100, config.fanout().postConcurrency());
    }

    @Test
    void withNoContextTheDeploymentSettingsAreTheDocumentedDefaults() {
        DeployConfig config = read(Map.of());
        assertEquals(DeployConfig.defaults(), config);
        assertEquals(2, config.postMaxConcurrency());
        assertEquals(5, config.maxReceiveCount());
        assertEquals(40, config.mapMaxConcurrency());
        assertEquals(0, config.toleratedFailurePercentage());
        assertEquals(600, config.deliveryDeadlineSeconds());
        assertEquals(1, config.pollIntervalSeconds());
        assertEquals(ApplicationLogLevel.INFO, config.logLevel());
        assertEquals(LogLevel.ERROR, config.stateMachineLogLevel());
        assertEquals(14, config.logRetentionDays());
        assertFalse(config.xray());
        assertTrue(config.pointInTimeRecovery());
        assertEquals(RemovalPolicy.RETAIN, config.removalPolicy());
        assertEquals("prod", config.stageName());
        assertEquals(1000, config.throttleRateLimit());
        assertEquals(500, config.throttleBurstLimit());
        assertEquals(15, config.sweeperRateMinutes());
        assertEquals(500, config.defaultRouteThrottleRateLimit());
        assertEquals(1000, config.defaultRouteThrottleBurstLimit());
        assertEquals(2000, config.resumeRouteThrottleRateLimit());
        assertEquals(4000, config.resumeRouteThrottleBurstLimit());
        assertTrue(config.authorizer());
        assertEquals("", config.jwtIssuer());
        assertEquals("", config.jwtAudience());
        assertEquals(60, config.cellWaitSeconds());
        assertEquals(new FunctionSettings(1024, 20), config.function(FanoutFunction.POST_MESSAGE));
        assertEquals(new FunctionSettings(512, 10, OptionalInt.of(100)), config.function(FanoutFunction.CONNECT));
        assertEquals(new FunctionSettings(512, 10, OptionalInt.of(100)), config.function(FanoutFunction.AUTHORIZER));
        assertEquals(new FunctionSettings(512, 10, OptionalInt.of(50)), config.function(FanoutFunction.DEFAULT_ROUTE));
        assertEquals(new FunctionSettings(512, 30, OptionalInt.of(50)), config.function(FanoutFunction.RESUME));
        assertEquals(new FunctionSettings(1024, 900, OptionalInt.of(1)), config.function(FanoutFunction.SWEEPER));
    }

    @Test
    void reservedConcurrencyZeroMeansUnreservedForSmallAccounts() {
        DeployConfig c = read(Map.of("connectReservedConcurrency", "0", "authorizerReservedConcurrency", 0,
                "sweeperReservedConcurrency", "3"));
        assertEquals(OptionalInt.empty(), c.function(FanoutFunction.CONNECT).reservedConcurrency());
        assertEquals(OptionalInt.empty(), c.function(FanoutFunction.AUTHORIZER).reservedConcurrency());
        assertEquals(OptionalInt.of(3), c.function(FanoutFunction.SWEEPER).reservedConcurrency());
        assertEquals(OptionalInt.of(100), c.function(FanoutFunction.DISCONNECT).reservedConcurrency());
        assertEquals(new FunctionSettings(512, 10), new FunctionSettings(512, 10, OptionalInt.of(0)));
    }

    @Test
    void anOidcIssuerIsReadWithItsAudience() {
        DeployConfig c = read(Map.of("jwtIssuer", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC",
                "jwtAudience", "4abc", "authorizer", "true"));
        assertEquals("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", c.jwtIssuer());
        assertEquals("4abc", c.jwtAudience());
        assertFalse(read(Map.of("authorizer", false)).authorizer());
    }

    @Test
    void everyKnobIsReadFromStringsAsTheCliPassesThem() {
        Map<String, String> context = new HashMap<>();
        context.put("partitionCount", "5000");
        context.put("shardCount", "4");
        context.put("chunkSize", "50");
        context.put("postRate", "400");
        context.put("postConcurrency", "20");
        context.put("maxDeliveryAttempts", "6");
        context.put("connectionTtlSeconds", "3600");
        context.put("sqsMaxMessageBytes", "1048576");
        context.put("postMaxConcurrency", "9");
        context.put("maxReceiveCount", "3");
        context.put("mapMaxConcurrency", "250");
        context.put("toleratedFailurePercentage", "5");
        context.put("deliveryDeadlineSeconds", "120");
        context.put("pollIntervalSeconds", "2");
        context.put("logLevel", "debug");
        context.put("stateMachineLogLevel", "ALL");
        context.put("logRetentionDays", "30");
        context.put("xray", "true");
        context.put("pointInTimeRecovery", "FALSE");
        context.put("removalPolicy", "destroy");
        context.put("stageName", "live");
        context.put("throttleRateLimit", "2000");
        context.put("throttleBurstLimit", "800");
        context.put("sweeperRateMinutes", "5");
        context.put("postMessageMemoryMb", "2048");
        context.put("postMessageTimeoutSeconds", "30");
        context.put("queryReservedConcurrency", "100");
        context.put("defaultRouteThrottleRateLimit", "40");
        context.put("defaultRouteThrottleBurstLimit", "80");
        context.put("resumeRouteThrottleRateLimit", "300");
        context.put("resumeRouteThrottleBurstLimit", "600");
        context.put("resumeTimeoutSeconds", "20");
        context.put("resumeReservedConcurrency", "0");
        context.put("authorizer", "false");

        DeployConfig c = read(context);

        assertEquals(5000, c.fanout().partitionCount());
        assertEquals(4, c.fanout().shardCount());
        assertEquals(50, c.fanout().chunkSize());
        assertEquals(400, c.fanout().postRate());
        assertEquals(20, c.fanout().postConcurrency());
        assertEquals(6, c.fanout().maxDeliveryAttempts());
        assertEquals(3600, c.fanout().connectionTtlSeconds());
        assertEquals(1_048_576, c.fanout().sqsMaxMessageBytes());
        assertEquals(9, c.postMaxConcurrency());
        assertEquals(3, c.maxReceiveCount());
        assertEquals(250, c.mapMaxConcurrency());
        assertEquals(5, c.toleratedFailurePercentage());
        assertEquals(120, c.deliveryDeadlineSeconds());
        assertEquals(2, c.pollIntervalSeconds());
        assertEquals(ApplicationLogLevel.DEBUG, c.logLevel());
        assertEquals(LogLevel.ALL, c.stateMachineLogLevel());
        assertEquals(30, c.logRetentionDays());
        assertTrue(c.xray());
        assertFalse(c.pointInTimeRecovery());
        assertEquals(RemovalPolicy.DESTROY, c.removalPolicy());
        assertEquals("live", c.stageName());
        assertEquals(2000, c.throttleRateLimit());
        assertEquals(800, c.throttleBurstLimit());
        assertEquals(5, c.sweeperRateMinutes());
        assertEquals(40, c.defaultRouteThrottleRateLimit());
        assertEquals(80, c.defaultRouteThrottleBurstLimit());
        assertEquals(300, c.resumeRouteThrottleRateLimit());
        assertEquals(600, c.resumeRouteThrottleBurstLimit());
        assertEquals(new FunctionSettings(512, 20), c.function(FanoutFunction.RESUME));
        assertFalse(c.authorizer());
        assertEquals(new FunctionSettings(2048, 30), c.function(FanoutFunction.POST_MESSAGE));
        assertEquals(new FunctionSettings(1024, 60, OptionalInt.of(100)), c.function(FanoutFunction.QUERY));
        assertEquals(FanoutFunction.CONNECT.defaults(), c.function(FanoutFunction.CONNECT));
    }

    @Test
    void jsonNumbersAndBooleansFromCdkJsonAreAccepted() {
        DeployConfig c = read(Map.of("shardCount", 3, "xray", true));
        assertEquals(3, c.fanout().shardCount());
        assertTrue(c.xray());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "partitionCount|many|context value 'partitionCount' must be a whole number, got 'many'",
            "partitionCount|0|bad context value 'partitionCount': PARTITION_COUNT=0 is out of range",
            "shardCount|101|bad context value 'shardCount': SHARD_COUNT=101 is out of range",
            "postMaxConcurrency|1|bad context value: postMaxConcurrency=1 is out of range; allowed: 2..1000",
            "mapMaxConcurrency|10001|bad context value: mapMaxConcurrency=10001 is out of range; allowed: 1..10000",
            "toleratedFailurePercentage|101|toleratedFailurePercentage=101 is out of range; allowed: 0..100",
            "postMessageTimeoutSeconds|901|postMessageTimeoutSeconds=901 is out of range; allowed: 1..900",
            "connectMemoryMb|64|connectMemoryMb=64 is out of range; allowed: 128..10240",
            "logRetentionDays|10|logRetentionDays=10 is not a CloudWatch Logs retention",
            "xray|yes|context value 'xray' must be true or false, got 'yes'",
            "removalPolicy|snapshot|context value 'removalPolicy' must be one of [retain, destroy], got 'snapshot'",
            "stateMachineLogLevel|verbose|context value 'stateMachineLogLevel' must be one of [off, all, error, fatal], got 'verbose'",
            "stageName|a b|stageName='a b' is not a stage name",
            "pollIntervalSeconds|' '|context value 'pollIntervalSeconds' is empty",
            "shardCount|68|bad context value: shardCount=68 is out of range for a deployment; allowed: 1..67",
            "mapMaxConcurrency|0|bad context value: mapMaxConcurrency=0 is out of range; allowed: 1..10000",
            "deliveryDeadlineSeconds|86400|bad context value: deliveryDeadlineSeconds=86400 with pollIntervalSeconds=1 polls the tally up to 86,401 times",
            "defaultRouteThrottleRateLimit|0|bad context value: defaultRouteThrottleRateLimit=0 is out of range; allowed: 1..1000000",
            "defaultRouteThrottleBurstLimit|x|context value 'defaultRouteThrottleBurstLimit' must be a whole number",
            "resumeRouteThrottleRateLimit|0|bad context value: resumeRouteThrottleRateLimit=0 is out of range; allowed: 1..1000000",
            "resumeRouteThrottleBurstLimit|1000001|bad context value: resumeRouteThrottleBurstLimit=1000001 is out of range",
            "resumeMemoryMb|64|resumeMemoryMb=64 is out of range; allowed: 128..10240",
            "authorizer|off|context value 'authorizer' must be true or false, got 'off'",
            "sweeperReservedConcurrency|-1|sweeperReservedConcurrency=-1 is out of range; allowed: 0..100000",
            "jwtIssuer|https://issuer.example.com|bad context value: jwtIssuer=https://issuer.example.com needs jwtAudience",
            "jwtIssuer|http://issuer.example.com|jwtIssuer='http://issuer.example.com' is not an https URL",
            "jwtIssuer|issuer.example.com|jwtIssuer='issuer.example.com' is not an https URL",
            "jwtAudience|my-client|bad context value: jwtAudience=my-client is set without jwtIssuer",
    })
    void aBadValueIsAnErrorNamingItsKey(String key, String value, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(Map.of(key, value)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void anOidcIssuerNeedsTheAuthorizer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(Map.of(
                "authorizer", "false", "jwtIssuer", "https://issuer.example.com", "jwtAudience", "app")));
        assertTrue(e.getMessage().contains("jwtIssuer=https://issuer.example.com has no effect with authorizer=false"),
                e.getMessage());
    }

    @Test
    void theCompletionLoopMustFitAStandardExecutionsHistory() {
        // 600 s of 1 s polls, the default: 601 polls, 6,457 events.
        assertEquals(5_457 + 1_000, ExecutionHistoryBudget.worstCaseEvents(600, 1));
        int longest = (int) ExecutionHistoryBudget.maxDeadlineSeconds(1);
        assertEquals(2_660, longest);
        assertEquals(longest, read(Map.of("deliveryDeadlineSeconds", longest)).deliveryDeadlineSeconds());
        assertTrue(ExecutionHistoryBudget.worstCaseEvents(longest, 1) <= ExecutionHistoryBudget.MAX_EVENTS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("deliveryDeadlineSeconds", longest + 1)));
        assertTrue(e.getMessage().contains("deliveryDeadlineSeconds=2661 with pollIntervalSeconds=1"), e.getMessage());
        assertTrue(e.getMessage().contains("a Standard execution fails at 25,000 events"), e.getMessage());
        assertTrue(e.getMessage().contains("deliveryDeadlineSeconds at most 2,660, or pollIntervalSeconds at least 2"),
                e.getMessage());
        // A day of deadline works with 33 s polls, not 32.
        assertEquals(86_400, read(Map.of("deliveryDeadlineSeconds", 86_400, "pollIntervalSeconds", 33))
                .deliveryDeadlineSeconds());
        e = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("deliveryDeadlineSeconds", 86_400, "pollIntervalSeconds", 32)));
        assertTrue(e.getMessage().contains("or pollIntervalSeconds at least 33"), e.getMessage());
    }

    @Test
    void aMistypedKeyIsAnErrorListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeployContext(Map.of("partitonCount", "10")));
        assertTrue(e.getMessage().startsWith("unknown context key(s) [partitonCount]; wsfanout's keys are ["),
                e.getMessage());
        assertTrue(e.getMessage().contains("partitionCount"), e.getMessage());
    }

    @Test
    void cdksOwnContextKeysAreLeftAlone() {
        DeployConfig c = read(Map.of("@aws-cdk/core:newStyleStackSynthesis", true,
                "aws:cdk:enable-path-metadata", true, "acknowledged-issue-numbers", "[]"));
        assertEquals(DeployConfig.defaults(), c);
    }

    @Test
    void appKeysAreKnownAndReadAsStrings() {
        DeployContext context = new DeployContext(Map.of("stackName", "WsfanoutDev", "handlersJar", "/tmp/h.jar"));
        assertEquals("WsfanoutDev", context.string(DeployContext.STACK_NAME).orElseThrow());
        assertEquals("/tmp/h.jar", context.string(DeployContext.HANDLERS_JAR).orElseThrow());
        assertTrue(context.string(DeployContext.STATE_MACHINE_FILE).isEmpty());
    }
}
