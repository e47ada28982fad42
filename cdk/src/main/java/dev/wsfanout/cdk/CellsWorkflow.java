package dev.wsfanout.cdk;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.CellsDefinitionSubstitutions;
import dev.wsfanout.model.DefinitionSubstitutions;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The cross-cell state machine from {@code statemachine/cells.asl.json} (docs/cells.md), filled
 * with {@link CellsDefinitionSubstitutions}. Every step goes through the cellBroadcast function
 * (integrations do not cross Regions), so its role may invoke that function's alias and nothing else.
 */
public final class CellsWorkflow extends Construct {

    /** Fixed, as the cells' machines are: one per home account and Region. */
    public static final String STATE_MACHINE_NAME = CellDirectory.CROSS_CELL_STATE_MACHINE_NAME;

    private final StateMachine stateMachine;

    public CellsWorkflow(Construct scope, String id, DeployConfig config, Path definitionFile, IFunction cellBroadcast) {
        super(scope, id);
        Map<String, String> substitutions = DefinitionSubstitutions.requireExactly(definitionFile,
                new CellsDefinitionSubstitutions(cellBroadcast.getFunctionArn(), config.cellWaitSeconds()).toMap());

        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("states.amazonaws.com"))
                .description("wsfanout cross-cell state machine")
                .build();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("lambda:InvokeFunction"))
                .resources(List.of(cellBroadcast.getFunctionArn()))
                .build());

        StateMachine.Builder builder = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(STATE_MACHINE_NAME)
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromFile(definitionFile.toString()))
                .definitionSubstitutions(substitutions)
                .role(role);
        MachineObservability.configure(this, builder, config);
        stateMachine = builder.build();
        MachineObservability.suppressFindings(config, role, stateMachine,
                "the execution history shows every cell's start and end, and each cell's own execution its broadcast");
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }
}
