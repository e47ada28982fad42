package dev.wsfanout.cdk;

import java.util.List;
import java.util.Map;

import dev.wsfanout.model.CellDirectory;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * A cell's door for the home account (docs/cells.md): the role named
 * {@link CellDirectory#cellAccessRoleName} that the home cellBroadcast role assumes to start a
 * broadcast in this cell and to read how it ended, and nothing else.
 */
public final class CellAccessRole extends Construct {

    private final Role role;

    public CellAccessRole(Construct scope, String id, Home home, StateMachine broadcast) {
        super(scope, id);
        Stack stack = Stack.of(this);
        role = Role.Builder.create(this, "Role")
                .roleName(CellDirectory.cellAccessRoleName(stack.getRegion()))
                .description("wsfanout cell: lets the home account's cellBroadcast role (" + home.region()
                        + ") start and read this cell's broadcasts")
                // The home account with a condition on the caller, not the role's ARN as principal: IAM
                // refuses a trust policy naming a role that does not exist yet, so that form would tie
                // the deploy order to the global stack; this one deploys before or after it, and still
                // lets no other principal of the home account in.
                .assumedBy(new AccountPrincipal(home.account()).withConditions(Map.of(
                        "ArnEquals", Map.of("aws:PrincipalArn", home.cellBroadcastRoleArn()))))
                .inlinePolicies(Map.of("StartAndDescribeBroadcasts", PolicyDocument.Builder.create()
                        .statements(List.of(
                                PolicyStatement.Builder.create()
                                        .actions(List.of("states:StartExecution"))
                                        .resources(List.of(broadcast.getStateMachineArn()))
                                        .build(),
                                PolicyStatement.Builder.create()
                                        .actions(List.of("states:DescribeExecution"))
                                        // arn:...:execution:<machine>:<execution name>; the Map's
                                        // children (<machine>/<label>:<id>) do not match.
                                        .resources(List.of(stack.formatArn(ArnComponents.builder()
                                                .service("states")
                                                .resource("execution")
                                                .resourceName(CellDirectory.CELL_STATE_MACHINE_NAME + ":*")
                                                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                                                .build())))
                                        .build()))
                        .build()))
                .build();
        NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("the cellBroadcast function names each execution at StartExecution (the broadcast id and "
                        + "the cell); the wildcard stays under this cell's broadcast state machine and allows only "
                        + "DescribeExecution")
                .appliesTo(List.of(RegexAppliesTo.builder()
                        .regex("/^Resource::arn:<AWS::Partition>:states:" + NagFindings.regionAndAccount(stack) + ":execution:"
                                + CellDirectory.CELL_STATE_MACHINE_NAME + ":\\*$/")
                        .build()))
                .build()));
    }

    public Role role() {
        return role;
    }
}
