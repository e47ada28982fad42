package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import dev.wsfanout.model.FanoutConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.stepfunctions.LogLevel;

/**
 * A deployment with every kind of knob moved off its default, synthesized once: the values reach
 * the resources, and the checks still pass (the suppressions follow the deployer's choices).
 */
class WsfanoutStackKnobsTest {

    private static Template template;
    private static Annotations annotations;
    private static Path handlersJar;

    @BeforeAll
    static void synthesize() throws IOException {
        handlersJar = StackUnderTest.handlersJar(Files.createTempDirectory("wsfanout-cdk-knobs"));
        DeployConfig config = DeployConfig.builder()
                .fanout(FanoutConfig.fromEnv(Map.of(FanoutConfig.SHARD_COUNT, "3", FanoutConfig.PARTITION_COUNT, "5000",
                        FanoutConfig.POST_RATE, "250", FanoutConfig.SQS_MAX_MESSAGE_BYTES, "1048576",
                        FanoutConfig.SWEEP_PROBE_RATE, "200")))
                .function(FanoutFunction.POST_MESSAGE, new FunctionSettings(2048, 30))
                .function(FanoutFunction.QUERY, new FunctionSettings(1536, 90, OptionalInt.of(25)))
                .function(FanoutFunction.AUDIT, new FunctionSettings(512, 30, OptionalInt.of(5)))
                // 0: unreserved, as on an account too small to reserve any.
                .function(FanoutFunction.CONNECT, new FunctionSettings(512, 10, OptionalInt.of(0)))
                .function(FanoutFunction.SWEEPER, new FunctionSettings(1024, 900, OptionalInt.of(2)))
                .postMaxConcurrency(7)
                .maxReceiveCount(3)
                .mapMaxConcurrency(100)
                .logLevel(ApplicationLogLevel.DEBUG)
                .stateMachineLogLevel(LogLevel.OFF)
                .logRetentionDays(90)
                .xray(true)
                .pointInTimeRecovery(false)
                .removalPolicy(RemovalPolicy.DESTROY)
                .stageName("live")
                .throttleRateLimit(50)
                .throttleBurstLimit(20)
                .sweeperRateMinutes(5)
                .defaultRouteThrottleRateLimit(20)
                .defaultRouteThrottleBurstLimit(40)
                .resumeRouteThrottleRateLimit(300)
                .resumeRouteThrottleBurstLimit(600)
                .function(FanoutFunction.RESUME, new FunctionSettings(1024, 20, OptionalInt.of(10)))
                .jwtIssuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf")
                .jwtAudience("3n4b5c6d")
                .build();
        App app = StackUnderTest.appWithNag();
        WsfanoutStack stack = StackUnderTest.stack(app, config, handlersJar, StackUnderTest.DEFINITION);
        template = Template.fromStack(stack);
        annotations = Annotations.fromStack(stack);
    }

    @Test
    void awsSolutionsChecksStillFindNothingUnsuppressed() {
        assertEquals(List.of(), StackUnderTest.nagErrors(annotations));
    }

    @Test
    void shardCountDecidesTheQueuesMappingsAndAlarms() {
        template.resourceCountIs("AWS::SQS::Queue", 6);
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 3);
        template.resourceCountIs("AWS::CloudWatch::Alarm", 5);
        template.allResourcesProperties("AWS::Lambda::EventSourceMapping", Match.objectLike(Map.of(
                "ScalingConfig", Map.of("MaximumConcurrency", 7))));
    }

    @Test
    void queuesFollowThePostMessageTimeoutTheReceiveCountAndTheMessageSize() {
        template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "QueueName", "Wsfanout-shard-2",
                "VisibilityTimeout", 180,
                "MaximumMessageSize", 1_048_576,
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 3)))));
    }

    @Test
    void functionSizesLogLevelTracingAndReservedConcurrencyApply() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.POST_MESSAGE.handler(), "MemorySize", 2048, "Timeout", 30,
                "TracingConfig", Map.of("Mode", "Active"),
                "LoggingConfig", Match.objectLike(Map.of("ApplicationLogLevel", "DEBUG")),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "SHARD_COUNT", "3", "PARTITION_COUNT", "5000", "POST_RATE", "250",
                        "SQS_MAX_MESSAGE_BYTES", "1048576"))))));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.QUERY.handler(), "MemorySize", 1536, "Timeout", 90,
                "ReservedConcurrentExecutions", 25)));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.AUDIT.handler(), "MemorySize", 512, "Timeout", 30,
                "ReservedConcurrentExecutions", 5)));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.CONNECT.handler(), "ReservedConcurrentExecutions", Match.absent())));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.SWEEPER.handler(), "ReservedConcurrentExecutions", 2)));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.RESUME.handler(), "MemorySize", 1024, "Timeout", 20,
                "ReservedConcurrentExecutions", 10)));
        template.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 90)));
    }

    @Test
    void theAuthorizerAcceptsTheNamedIssuersTokensForItsAudience() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.AUTHORIZER.handler(),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "JWT_ISSUER", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf",
                        "JWT_AUDIENCE", "3n4b5c6d",
                        "TOKEN_AUDIENCE", "Wsfanout"))))));
    }

    @Test
    void theSweeperProbesAtSweepProbeRateOnTheStageItIsDeployedWith() {
        Capture env = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.SWEEPER.handler(), "Timeout", 900,
                "Environment", Map.of("Variables", env))));
        Map<String, Object> vars = TemplateView.map(env.asObject());
        assertEquals("200", vars.get(FanoutConfig.SWEEP_PROBE_RATE));
        assertEquals("https://{WebSocketApi}.execute-api.{AWS::Region}.{AWS::URLSuffix}/live",
                TemplateView.render(vars.get(FanoutConfig.MANAGEMENT_ENDPOINT)));
    }

    @Test
    void removalPolicyAndPitrApplyToEveryTable() {
        template.allResources("AWS::DynamoDB::Table", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
        template.allResourcesProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", false))));
        template.allResources("AWS::Logs::LogGroup", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
    }

    @Test
    void stateMachineLoggingOffMeansNoLogGroupAndTracingFollowsXray() {
        template.resourceCountIs("AWS::Logs::LogGroup", 9);
        Capture substitutions = new Capture();
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "TracingConfiguration", Map.of("Enabled", true),
                "LoggingConfiguration", Match.absent(),
                "DefinitionSubstitutions", substitutions)));
        Map<String, Object> values = TemplateView.map(substitutions.asObject());
        assertEquals("5000", values.get("PartitionCount"));
        assertEquals("100", values.get("MapMaxConcurrency"));
    }

    @Test
    void stageThrottlingStageNameAndSweeperRateApply() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "StageName", "live",
                "DefaultRouteSettings", Match.objectLike(Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 20)),
                "RouteSettings", Map.of("$default", Map.of("ThrottlingRateLimit", 20, "ThrottlingBurstLimit", 40),
                        "resume", Map.of("ThrottlingRateLimit", 300, "ThrottlingBurstLimit", 600)))));
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(5 minutes)")));
    }

    @Test
    void aDefinitionNamingAnUnsuppliedSubstitutionFailsTheStack(@TempDir Path dir) throws IOException {
        Path definition = StackUnderTest.definitionWith(dir,
                "\"MaxItemsPerBatch\": 10", "\"MaxItemsPerBatch\": \"{% ${BatchSize} %}\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackUnderTest.stack(new App(), DeployConfig.defaults(), handlersJar, definition));
        assertTrue(e.getMessage().contains("the file uses [BatchSize], which are not supplied"), e.getMessage());
    }

    @Test
    void aDefinitionLeavingASubstitutionUnusedFailsTheStack(@TempDir Path dir) throws IOException {
        Path definition = StackUnderTest.definitionWith(dir, "\"{% ${ToleratedFailurePercentage} %}\"", "0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackUnderTest.stack(new App(), DeployConfig.defaults(), handlersJar, definition));
        assertTrue(e.getMessage().contains("[ToleratedFailurePercentage] are supplied but the file does not use them"),
                e.getMessage());
    }

    @Test
    void aMissingHandlersJarSaysHowToBuildIt(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeployArtifacts(dir.resolve("none.jar"), StackUnderTest.DEFINITION));
        assertTrue(e.getMessage().contains("mvn -pl handlers -am package"), e.getMessage());
        assertTrue(e.getMessage().contains("-c handlersJar="), e.getMessage());
    }
}
