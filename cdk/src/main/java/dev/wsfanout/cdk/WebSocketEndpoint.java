package dev.wsfanout.cdk;

import java.util.List;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.Construct;

/** The WebSocket API: $connect, $disconnect and $default on the lifecycle functions' aliases, one stage. */
public final class WebSocketEndpoint extends Construct {

    private final WebSocketApi api;
    private final WebSocketStage stage;

    public WebSocketEndpoint(Construct scope, String id, DeployConfig config,
                             IFunction connect, IFunction disconnect, IFunction defaultRoute) {
        super(scope, id);
        api = WebSocketApi.Builder.create(this, "Api")
                .apiName(Stack.of(this).getStackName())
                .description("wsfanout: clients connect here; broadcasts reach them through @connections")
                .connectRouteOptions(route("Connect", connect))
                .disconnectRouteOptions(route("Disconnect", disconnect))
                .defaultRouteOptions(route("Default", defaultRoute))
                .build();
        stage = WebSocketStage.Builder.create(this, "Stage")
                .webSocketApi(api)
                .stageName(config.stageName())
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(config.throttleRateLimit())
                        .burstLimit(config.throttleBurstLimit())
                        .build())
                .build();

        NagSuppressions.addResourceSuppressions(api, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-APIG4")
                .reason("wsfanout broadcasts to anyone who connects; put a Lambda REQUEST authorizer on $connect "
                        + "when the audience must be authenticated (the other routes inherit the connection's identity)")
                .build()), true);
        NagSuppressions.addResourceSuppressions(stage, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-APIG1")
                .reason("access logging needs the account-wide API Gateway CloudWatch role (AWS::ApiGateway::Account), "
                        + "which one app's stack must not overwrite; the lifecycle functions log every connect and "
                        + "disconnect as JSON")
                .build()), true);
    }

    private static WebSocketRouteOptions route(String id, IFunction handler) {
        return WebSocketRouteOptions.builder().integration(new WebSocketLambdaIntegration(id + "Integration", handler)).build();
    }

    public WebSocketApi api() {
        return api;
    }

    /** {@code wss://{apiId}.execute-api.{region}.amazonaws.com/{stage}}: what clients connect to. */
    public String url() {
        return stage.getUrl();
    }

    /** MANAGEMENT_ENDPOINT: {@code https://{apiId}.execute-api.{region}.amazonaws.com/{stage}}. */
    public String managementEndpoint() {
        return stage.getCallbackUrl();
    }

    /** The one resource postMessage may call: PostToConnection on this API's stage. */
    public String postToConnectionArn() {
        return connectionsArn("POST");
    }

    /** The one resource the sweeper may call: GetConnection on this API's stage. */
    public String getConnectionArn() {
        return connectionsArn("GET");
    }

    /** {@code arn:...:execute-api:{region}:{account}:{apiId}/{stage}/{method}/@connections/*}. */
    private String connectionsArn(String method) {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("execute-api")
                .resource(api.getApiId())
                .resourceName(stage.getStageName() + "/" + method + "/@connections/*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }
}
