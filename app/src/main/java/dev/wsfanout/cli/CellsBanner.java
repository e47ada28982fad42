package dev.wsfanout.cli;

import dev.wsfanout.stack.LocalCells;
import dev.wsfanout.stack.LocalDeployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code wsfanout local --cells N} prints: the home, each cell's endpoints, and the commands that use them. */
final class CellsBanner {

    /** Who the printed connect URLs are for, when $connect needs a token. */
    private static final String SUBJECT = "local-user";

    private CellsBanner() {
    }

    static String text(LocalCells cells, RunningStack home, Path stateFile) {
        List<String> lines = new ArrayList<>(List.of(
                "wsfanout local cells are running on loopback (Ctrl-C stops them)",
                "",
                "  cross-cell state machine   " + home.stateMachineArn(),
                "  home Step Functions        " + home.stepFunctionsEndpoint(),
                "  state file                 " + stateFile + " (how send/audit find the cells)",
                ""));
        List<LocalDeployment> deployments = cells.cells();
        for (int i = 0; i < deployments.size(); i++) {
            LocalDeployment cell = deployments.get(i);
            lines.add("  " + LocalCells.cellName(i + 1) + "  WebSocket " + ConnectUrls.of(cell, SUBJECT));
            lines.add("          Step Functions " + cell.stepFunctionsEndpoint() + "   DynamoDB " + cell.dynamoEndpoint()
                    + "   @connections " + cell.gateway().managementEndpoint());
        }
        lines.addAll(List.of(
                "",
                "Connect clients to any cell (the URLs above carry a token when $connect needs one), then broadcast to every cell:",
                "  ./wsfanout send --message hi --wait      # progress per cell, then the cross-cell audit",
                "  ./wsfanout audit <broadcast id>",
                "",
                "The AWS CLI against the home endpoint (any credentials are accepted):",
                "  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1",
                "  aws stepfunctions start-execution --endpoint-url " + home.stepFunctionsEndpoint() + " \\",
                "    --state-machine-arn " + home.stateMachineArn() + " --input '{\"message\":\"hi\"}'",
                ""));
        return String.join(System.lineSeparator(), lines);
    }
}
