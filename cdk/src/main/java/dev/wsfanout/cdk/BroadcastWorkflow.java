package dev.wsfanout.cdk;

import dev.wsfanout.model.DefinitionSubstitutions;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The broadcast state machine from {@code statemachine/broadcast.asl.json}, filled with the
 * substitutions of docs/contracts.md. Its role may invoke only the query and audit aliases, write
 * only the broadcasts table (the audit function does the reading), read and write only the history
 * table's items (the sequence claim, docs/resume.md), and start and stop only its own Distributed
 * Map children.
 */
public final class BroadcastWorkflow extends Construct {

    private final StateMachine stateMachine;

    /**
     * @param stateMachineName a cell's fixed name (the home account names its ARN); empty = CloudFormation's
     */
    public BroadcastWorkflow(Construct scope, String id, DeployConfig config, Path definitionFile,
                             IFunction query, IFunction audit, ITable broadcasts, ITable history,
                             Optional<String> stateMachineName) {
        super(scope, id);
        Map<String, String> substitutions = DefinitionSubstitutions.requireExactly(definitionFile,
                substitutions(config, query.getFunctionArn(), audit.getFunctionArn(), broadcasts.getTableName(),
                        history.getTableName()));

        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("states.amazonaws.com"))
                .description("wsfanout broadcast state machine")
                .build();
        // Query (the Map's children) and audit (ReadTally, Recount), each through its alias only.
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("lambda:InvokeFunction"))
                .resources(List.of(query.getFunctionArn(), audit.getFunctionArn()))
                .build());
        // CreateBroadcast (putItem) and RecordQueued (updateItem).
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:PutItem", "dynamodb:UpdateItem"))
                .resources(List.of(broadcasts.getTableArn()))
                .build());
        // ReadHead (getItem), ClaimSequence (putItem) and AdvanceHead (updateItem): the sequence claim,
        // by key only; reading runs of entries (Query) is the resume function's.
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"))
                .resources(List.of(history.getTableArn()))
                .build());

        StateMachine.Builder builder = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromFile(definitionFile.toAbsolutePath().toString()))
                .definitionSubstitutions(substitutions)
                .role(role);
        stateMachineName.ifPresent(builder::stateMachineName);
        MachineObservability.configure(this, builder, config);
        stateMachine = builder.build();

        // A separate policy: the role's default policy is a dependency of the state machine, so
        // naming the state machine's own ARN there would be a cycle.
        Policy distributedMap = Policy.Builder.create(this, "DistributedMapPolicy")
                .statements(List.of(
                        PolicyStatement.Builder.create()
                                .actions(List.of("states:StartExecution"))
                                .resources(List.of(stateMachine.getStateMachineArn()))
                                .build(),
                        PolicyStatement.Builder.create()
                                .actions(List.of("states:DescribeExecution", "states:StopExecution"))
                                .resources(List.of(childExecutionsArn()))
                                .build()))
                .build();
        distributedMap.attachToRole(role);

        NagSuppressions.addResourceSuppressions(distributedMap, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("Distributed Map must describe and stop its own child executions, whose names it picks at "
                        + "run time; the wildcard stays under this state machine's name (AWS's documented policy)")
                .build()));
        MachineObservability.suppressFindings(config, role, stateMachine,
                "the execution history and the Map Run give the timeline");
    }

    /** The names DefinitionSubstitutions.Name fixes for broadcast.asl.json, with this deployment's values. */
    static Map<String, String> substitutions(DeployConfig config, String queryFunctionArn, String auditFunctionArn,
                                             String broadcastsTableName, String historyTableName) {
        return new DefinitionSubstitutions.Values(queryFunctionArn, auditFunctionArn, broadcastsTableName,
                historyTableName, config.fanout().partitionCount(), config.mapMaxConcurrency(),
                config.toleratedFailurePercentage(), config.deliveryDeadlineSeconds(), config.pollIntervalSeconds())
                .toMap();
    }

    /** Child executions of a Map Run are named {@code <stateMachineName>/<mapRunLabel>:<id>}. */
    private String childExecutionsArn() {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("states")
                .resource("execution")
                .resourceName(stateMachine.getStateMachineName() + "/*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }
}
