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
    static final int MAX_SHARDS_DEFAULT_NAME = 45;
    /** The most shards any stack name allows (a one-character name). */
    static final int MAX_SHARDS_ANY_NAME = 50;
    /**
     * The overflow policies CDK splits off postMessage's and query's roles between
     * {@link #MAX_SHARDS_ANY_NAME} and {@link DeployConfig#MAX_SHARD_COUNT} shards (3 at 50, 5 at 67),
     * measured with the environment budget lifted, as DeployConfig's count was.
     */
    private static final int OVERFLOW_POLICIES_ADDED_UP_TO_MAX_SHARD_COUNT = 2;

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

    /**
     * No stack that synthesizes has {@link DeployConfig#MAX_SHARD_COUNT} shards (the environment
     * refuses more than {@link #MAX_SHARDS_ANY_NAME} first), so the count measured there is checked
     * through the largest one that does: any resource added to or removed from the stack changes both,
     * and then MAX_SHARD_COUNT and RESOURCES_AT_MAX_SHARD_COUNT must be measured again.
     */
    @Test
    void theLargestStackThatSynthesizesAddsUpToTheCountMeasuredAtMaxShardCount() throws IOException {
        Template template = Template.fromStack(stack(new App(), "W", MAX_SHARDS_ANY_NAME, true));
        int resources = TemplateView.map(template.toJSON().get("Resources")).size();
        int extraShards = DeployConfig.MAX_SHARD_COUNT - MAX_SHARDS_ANY_NAME;
        assertEquals(DeployConfig.RESOURCES_AT_MAX_SHARD_COUNT, resources
                        + DeployConfig.RESOURCES_PER_SHARD * extraShards + OVERFLOW_POLICIES_ADDED_UP_TO_MAX_SHARD_COUNT,
                resources + " resources at " + MAX_SHARDS_ANY_NAME + " shards: the stack changed, measure "
                        + "DeployConfig.MAX_SHARD_COUNT and RESOURCES_AT_MAX_SHARD_COUNT again");
        assertTrue(DeployConfig.RESOURCES_AT_MAX_SHARD_COUNT < DeployConfig.CLOUDFORMATION_MAX_RESOURCES);
        // One shard more would reach the limit: MAX_SHARD_COUNT is the largest that stays under it.
        assertTrue(DeployConfig.RESOURCES_AT_MAX_SHARD_COUNT + DeployConfig.RESOURCES_PER_SHARD
                >= DeployConfig.CLOUDFORMATION_MAX_RESOURCES);
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
                .fanout(FanoutConfig.fromEnv(Map.of(FanoutConfig.SHARD_COUNT,
                        Integer.toString(DeployConfig.MAX_SHARD_COUNT + 1)))).build());
        assertTrue(e.getMessage().startsWith("shardCount=68 is out of range for a deployment; allowed: 1..67"),
                e.getMessage());
        assertTrue(e.getMessage().contains("67 shards synthesize 494"), e.getMessage());
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
