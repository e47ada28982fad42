package dev.wsfanout.cdk;

import java.util.List;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * Who may broadcast: a customer-managed policy for the role of an application that sends broadcasts
 * (output {@code BroadcasterPolicyArn}). It allows exactly what {@code wsfanout send --aws} and
 * {@code wsfanout audit --aws} call, on this stack's state machine only:
 * <ul>
 *   <li>{@code states:StartExecution} on the state machine (BroadcastStarter);</li>
 *   <li>{@code states:DescribeExecution} and {@code states:GetExecutionHistory} on its executions
 *       (AuditReader: status, input, output, who started it, the tallies the completion poll read);</li>
 *   <li>{@code states:DescribeMapRun} on its Map Runs (AuditReader: the Map Run's counts; the ARN
 *       comes from the history's MapRunStarted event, so ListMapRuns is not needed).</li>
 * </ul>
 * On AWS the CLI reads no table (the tallies come from the execution history), so the policy has no
 * DynamoDB action; nor does it stop, redrive or list executions.
 */
public final class BroadcasterPolicy extends Construct {

    private final ManagedPolicy policy;

    public BroadcasterPolicy(Construct scope, String id, StateMachine stateMachine) {
        super(scope, id);
        String machineName = stateMachine.getStateMachineName();
        String regionAndAccount = NagFindings.regionAndAccount(Stack.of(this));
        policy = ManagedPolicy.Builder.create(this, "Policy")
                .description("wsfanout " + Stack.of(this).getStackName()
                        + ": start broadcasts and read their audit (attach to the role of the application that broadcasts)")
                .statements(List.of(
                        PolicyStatement.Builder.create()
                                .actions(List.of("states:StartExecution"))
                                .resources(List.of(stateMachine.getStateMachineArn()))
                                .build(),
                        PolicyStatement.Builder.create()
                                .actions(List.of("states:DescribeExecution", "states:GetExecutionHistory"))
                                // arn:...:execution:<machine>:<broadcast id>; the Map's children are
                                // <machine>/<label>:<id> and do not match.
                                .resources(List.of(arn("execution", machineName + ":*")))
                                .build(),
                        PolicyStatement.Builder.create()
                                .actions(List.of("states:DescribeMapRun"))
                                // arn:...:mapRun:<machine>/<map run label>:<map run id>
                                .resources(List.of(arn("mapRun", machineName + "/*")))
                                .build()))
                .build();
        NagSuppressions.addResourceSuppressions(policy, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("a broadcast's execution and Map Run are named at StartExecution (the broadcast id) and by "
                        + "Step Functions; the wildcards stay under this state machine's name and allow only reads "
                        + "(DescribeExecution, GetExecutionHistory, DescribeMapRun)")
                .appliesTo(List.of(
                        RegexAppliesTo.builder()
                                .regex("/^Resource::arn:<AWS::Partition>:states:" + regionAndAccount + ":"
                                        + "execution:<[A-Za-z0-9]+\\.Name>:\\*$/")
                                .build(),
                        RegexAppliesTo.builder()
                                .regex("/^Resource::arn:<AWS::Partition>:states:" + regionAndAccount + ":"
                                        + "mapRun:<[A-Za-z0-9]+\\.Name>\\/\\*$/")
                                .build()))
                .build()));
    }

    private String arn(String resource, String resourceName) {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("states")
                .resource(resource)
                .resourceName(resourceName)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    public ManagedPolicy policy() {
        return policy;
    }
}
