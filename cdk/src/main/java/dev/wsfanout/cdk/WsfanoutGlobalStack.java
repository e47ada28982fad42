package dev.wsfanout.cdk;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.FanoutSchema;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

/**
 * The home account and Region of a deployment of cells (docs/cells.md): the history table where
 * each cross-cell broadcast claims its one sequence number, the cellBroadcast function that reaches
 * every cell through the cell's access role, and the cross-cell state machine that drives it. The
 * synth refuses cells whose longest cross-cell broadcast would not fit a Standard execution's
 * history ({@link CrossCellHistoryBudget}) or whose list would not fit the function's environment
 * ({@link LambdaEnvironmentBudget}).
 */
public final class WsfanoutGlobalStack extends Stack {

    public WsfanoutGlobalStack(Construct scope, String id, StackProps props, DeployConfig config,
                               DeployArtifacts artifacts, CellDirectory cells, Home home) {
        super(scope, id, props);
        // Every cell runs the same DeployConfig, so each cell's execution has the same deadline.
        CrossCellHistoryBudget.require(cells.cells().size(), config.deliveryDeadlineSeconds(),
                config.cellWaitSeconds());
        Table history = SchemaTable.declare(this, config, FanoutSchema.of(config.fanout()).history());

        Map<String, String> env = Map.of(
                CellDirectory.ENV, cells.toJson(),
                FanoutConfig.HISTORY_TABLE, history.getTableName());
        GlobalFunction kind = GlobalFunction.CELL_BROADCAST;
        HandlerFunction cellBroadcast = new HandlerFunction(this, kind, kind.settings(config),
                Optional.of(home.cellBroadcastRoleName()), config, Code.fromAsset(artifacts.handlersJar().toString()),
                env);
        // Into each cell only through the role that cell made for it.
        cellBroadcast.allow(List.of("sts:AssumeRole"),
                cells.cells().stream().map(CellDirectory.Cell::roleArn).toArray(String[]::new));
        // The claim of the broadcast's number (the head hint and the entry), by key only.
        cellBroadcast.allow(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                history.getTableArn());

        CellsWorkflow workflow = new CellsWorkflow(this, "Cells", config,
                artifacts.cellsStateMachineDefinition().orElseThrow(() -> new IllegalStateException(
                        "the global stack is built from artifacts with the cross-cell definition")),
                cellBroadcast.alias());

        // Not "StateMachineArn": cdk-outputs.json then holds each cell's broadcast machine under that key and
        // this one under its own, so `wsfanout send --aws` and `send --aws --cells` each find theirs.
        CfnOutput.Builder.create(this, CellDirectory.CROSS_CELL_OUTPUT)
                .value(workflow.stateMachine().getStateMachineArn())
                .description("start a broadcast to every cell here")
                .build();
    }
}
