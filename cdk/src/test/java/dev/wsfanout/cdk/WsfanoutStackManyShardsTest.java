package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/**
 * Many shards: each shard's event source adds postMessage statements until CDK splits the role's
 * default policy into overflow managed policies (from about 28 shards). The checks must still pass
 * — the suppressions reach the overflow policies — and every grant must still name exact ARNs.
 */
class WsfanoutStackManyShardsTest {

    /**
     * 28: the first split. 70: about the most that fits CloudFormation's 500 resources per stack (six
     * per shard: two queues, their two policies, an event source, a DLQ alarm), with X-Ray's wildcard
     * too; from here PostToConnection's wildcard statement lands in an overflow policy. 100 (the most
     * SHARD_COUNT allows) synthesizes only with CDK's resource-limit check lifted; the checks are
     * looked at all the same.
     */
    @ParameterizedTest(name = "shardCount={0}, xray={1}, resource limit lifted={2}")
    @CsvSource({"28, false, false", "70, true, false", "100, false, true"})
    void synthesizesWithoutNagErrorsAndKeepsEveryGrantExact(int shardCount, boolean xray, boolean liftResourceLimit)
            throws IOException {
        App app = liftResourceLimit ? StackUnderTest.appWithNagAndNoResourceLimit() : StackUnderTest.appWithNag();
        WsfanoutStack stack = stack(app, shardCount, xray);
        Template template = Template.fromStack(stack);
        TemplateView view = new TemplateView(template.toJSON());

        assertEquals(List.of(), StackUnderTest.nagErrors(Annotations.fromStack(stack)));
        template.resourceCountIs("AWS::SQS::Queue", 2 * shardCount);
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", shardCount);

        // The case this test exists for: the split happened, so the suppressions had overflow policies to reach.
        Set<String> overflow = view.managedPoliciesOf("{PostMessageRole}");
        assertFalse(overflow.isEmpty(), "no overflow policy at " + shardCount + " shards");
        // Every managed policy is an overflow of postMessage's role or (from about 70 shards) query's.
        Set<String> overflows = new TreeSet<>(overflow);
        overflows.addAll(view.managedPoliciesOf("{QueryRole}"));
        template.resourceCountIs("AWS::IAM::ManagedPolicy", overflows.size());

        Map<String, Set<String>> roles = view.permissionsByRole();
        assertEquals(withXray(xray, WsfanoutStackTest.postMessagePermissions(shardCount)), roles.get("{PostMessageRole}"));
        assertEquals(withXray(xray, WsfanoutStackTest.queryPermissions(shardCount)), roles.get("{QueryRole}"));
    }

    private static Set<String> withXray(boolean xray, Set<String> permissions) {
        Set<String> expected = new TreeSet<>(permissions);
        if (xray) {
            expected.add("xray:PutTelemetryRecords,xray:PutTraceSegments on *");
        }
        return expected;
    }

    @Test
    void aHundredShardsExceedCloudFormationsResourceLimitNotTheChecks() throws IOException {
        WsfanoutStack stack = stack(StackUnderTest.appWithNag(), 100, false);
        RuntimeException e = assertThrows(RuntimeException.class, () -> Template.fromStack(stack));
        assertTrue(e.getMessage().contains("is greater than allowed maximum of 500"), e.getMessage());
    }

    private static WsfanoutStack stack(App app, int shardCount, boolean xray) throws IOException {
        Path jar = StackUnderTest.handlersJar(Files.createTempDirectory("wsfanout-cdk-shards"));
        DeployConfig config = DeployConfig.builder()
                .fanout(FanoutConfig.fromEnv(Map.of(FanoutConfig.SHARD_COUNT, Integer.toString(shardCount))))
                .xray(xray)
                .build();
        return StackUnderTest.stack(app, config, jar, StackUnderTest.DEFINITION);
    }
}
