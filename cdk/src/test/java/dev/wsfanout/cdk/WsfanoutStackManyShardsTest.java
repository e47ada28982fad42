package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.wsfanout.model.FanoutConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/**
 * The range of {@code shardCount} a deployment accepts is the range that synthesizes and deploys.
 * Two AWS limits bound it: Lambda's 4 KB of environment per function (postMessage's
 * SHARD_QUEUE_URLS lists every shard's URL; {@link LambdaEnvironmentBudget}), which binds first,
 * and CloudFormation's 500 resources per stack (six per shard; {@link DeployConfig#MAX_SHARD_COUNT}).
 * At the smallest and the largest accepted value the template stays under 500 resources, the
 * AwsSolutions checks pass (the suppressions reach CDK's overflow policies, from about 28 shards)
 * and every grant still names exact ARNs.
 */
class WsfanoutStackManyShardsTest {

    /** The most shards the default stack name allows (LambdaEnvironmentBudget's worst-case Region). */
    static final int MAX_SHARDS_DEFAULT_NAME = 46;
    /** The most shards any stack name allows (a one-character name). */
    static final int MAX_SHARDS_ANY_NAME = 52;

    @ParameterizedTest(name = "stackName={0}, shardCount={1}, xray={2}")
    @CsvSource({"Wsfanout, 1, false", "Wsfanout, " + MAX_SHARDS_DEFAULT_NAME + ", true",
            "W, " + MAX_SHARDS_ANY_NAME + ", true"})
    void theSmallestAndLargestAcceptedShardCountsSynthesizeUnder500ResourcesWithTheChecksPassing(
            String stackName, int shardCount, boolean xray) throws IOException {
        App app = StackUnderTest.appWithNag();
        WsfanoutStack stack = stack(app, stackName, shardCount, xray);
        Template template = Template.fromStack(stack);
        TemplateView view = new TemplateView(template.toJSON());

        int resources = TemplateView.map(template.toJSON().get("Resources")).size();
        assertTrue(resources < DeployConfig.CLOUDFORMATION_MAX_RESOURCES, resources + " resources at " + shardCount + " shards");
        assertEquals(List.of(), StackUnderTest.nagErrors(Annotations.fromStack(stack)));
        template.resourceCountIs("AWS::SQS::Queue", 2 * shardCount);
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", shardCount);

        // Every managed policy but the broadcaster's is an overflow of postMessage's role or (at many
        // shards) query's.
        Set<String> overflows = new TreeSet<>(view.managedPoliciesOf("{PostMessageRole}"));
        overflows.addAll(view.managedPoliciesOf("{QueryRole}"));
        template.resourceCountIs("AWS::IAM::ManagedPolicy", overflows.size() + 1);

        Map<String, Set<String>> roles = view.permissionsByRole();
        assertEquals(withXray(xray, WsfanoutStackTest.postMessagePermissions(shardCount)), roles.get("{PostMessageRole}"));
        assertEquals(withXray(xray, WsfanoutStackTest.queryPermissions(shardCount)), roles.get("{QueryRole}"));
    }

    @Test
    void theBoundsAreWhatTheEnvironmentBudgetComputes() throws IOException {
        Map<String, String> env = postMessageEnvironment("Wsfanout", 1);
        assertEquals(MAX_SHARDS_DEFAULT_NAME, LambdaEnvironmentBudget.maxShardCount(env, "Wsfanout", "prod"));
        assertEquals(MAX_SHARDS_ANY_NAME, LambdaEnvironmentBudget.maxShardCount(
                postMessageEnvironment("W", 1), "W", "prod"));
        assertTrue(MAX_SHARDS_ANY_NAME < DeployConfig.MAX_SHARD_COUNT,
                "the environment binds before CloudFormation's resource limit");
    }

    @Test
    void oneShardMoreThanTheEnvironmentHoldsIsRefusedNamingTheKnobsAndTheLimit() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stack(StackUnderTest.appWithNag(), "Wsfanout", MAX_SHARDS_DEFAULT_NAME + 1, false));
        assertTrue(e.getMessage().contains("shardCount=" + (MAX_SHARDS_DEFAULT_NAME + 1)), e.getMessage());
        assertTrue(e.getMessage().contains("4,096 bytes (4 KB)"), e.getMessage());
        assertTrue(e.getMessage().contains("with stackName 'Wsfanout' shardCount may be at most " + MAX_SHARDS_DEFAULT_NAME),
                e.getMessage());
    }

    @Test
    void moreShardsThanCloudFormationsResourceLimitHoldsAreRefusedByTheConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeployConfig.builder()
                .fanout(FanoutConfig.fromEnv(Map.of(FanoutConfig.SHARD_COUNT, "70"))).build());
        assertTrue(e.getMessage().startsWith("shardCount=70 is out of range for a deployment; allowed: 1..69"),
                e.getMessage());
        assertTrue(e.getMessage().contains("CloudFormation allows 500 resources per stack"), e.getMessage());
    }

    private static Set<String> withXray(boolean xray, Set<String> permissions) {
        Set<String> expected = new TreeSet<>(permissions);
        if (xray) {
            expected.add("xray:PutTelemetryRecords,xray:PutTraceSegments on *");
        }
        return expected;
    }

    /** postMessage's environment as the stack hands it over, read back from a one-shard synth. */
    private static Map<String, String> postMessageEnvironment(String stackName, int shardCount) throws IOException {
        App app = new App();
        WsfanoutStack stack = stack(app, stackName, shardCount, false);
        return ((HandlerFunction) stack.getNode().findChild("PostMessage")).environment();
    }

    private static WsfanoutStack stack(App app, String stackName, int shardCount, boolean xray) throws IOException {
        Path jar = StackUnderTest.handlersJar(Files.createTempDirectory("wsfanout-cdk-shards"));
        DeployConfig config = DeployConfig.builder()
                .fanout(FanoutConfig.fromEnv(Map.of(FanoutConfig.SHARD_COUNT, Integer.toString(shardCount))))
                .xray(xray)
                .build();
        return new WsfanoutStack(app, stackName, StackProps.builder().build(), config,
                new DeployArtifacts(jar, StackUnderTest.DEFINITION));
    }
}
