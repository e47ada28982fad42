package dev.wsfanout.cli;

import java.nio.file.Path;

/** The one block {@code wsfanout local} prints: every endpoint and the exact commands that use them. */
public final class LocalDeploymentBanner {

    private LocalDeploymentBanner() {
    }

    public static String text(RunningStack s, String sqsEndpoint, Path stateFile) {
        String connections = s.managementEndpoint() + "/@connections/";
        return String.join(System.lineSeparator(),
                "wsfanout local stack is running on loopback (Ctrl-C stops it)",
                "",
                "  WebSocket API    " + s.webSocketUrl(),
                "  @connections     " + connections + "{connectionId}",
                "  Step Functions   " + s.stepFunctionsEndpoint(),
                "  state machine    " + s.stateMachineArn(),
                "  live page        " + s.livePageUrl(),
                "  DynamoDB         " + s.dynamoDbEndpoint() + " (dynalite)    SQS " + sqsEndpoint + " (ElasticMQ)",
                "  state file       " + stateFile + " (how send/audit find this stack)",
                "  logs             " + stateFile.resolveSibling("wsfanout*.log") + " (--debug prints them here instead)",
                "",
                s.connectTokenSecret() == null
                        ? "Connect a client ($connect is open: --open), then broadcast from another terminal:"
                        : "Connect a client ($connect needs a token, as on AWS; ./wsfanout token --url mints one), then broadcast:",
                "  npx wscat -c " + (s.connectTokenSecret() == null ? s.webSocketUrl() : "\"$(./wsfanout token --url)\""),
                "  ./wsfanout send --message hi --wait",
                "  ./wsfanout audit <broadcast id>",
                "",
                "Post to one connection (ids are in the connections table, URL-encode '=' as %3D):",
                "  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1 \\",
                "    aws dynamodb scan --endpoint-url " + s.dynamoDbEndpoint() + " --table-name " + s.connectionsTable(),
                "  curl -X POST " + connections + "<connectionId> -d hello",
                "",
                "The AWS CLI against the local Step Functions endpoint (any credentials are accepted):",
                "  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1",
                "  aws stepfunctions start-execution --endpoint-url " + s.stepFunctionsEndpoint() + " \\",
                "    --state-machine-arn " + s.stateMachineArn() + " --input '{\"message\":\"hi\"}'",
                "  aws stepfunctions describe-execution --endpoint-url " + s.stepFunctionsEndpoint() + " --execution-arn <executionArn>",
                "",
                "Watch broadcasts arrive in a browser: " + s.livePageUrl(),
                "");
    }
}
