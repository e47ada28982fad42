package dev.wsfanout.cdk;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.wsfanout.model.ConnectAuth;
import dev.wsfanout.model.ResumeProtocol;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.WebSocketLambdaAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRoute;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.Construct;

/**
 * The WebSocket API: $connect (behind the REQUEST authorizer unless {@code authorizer=false}),
 * $disconnect, $default and resume on the lifecycle functions' aliases, one stage throttled as a
 * whole, $default tighter still and resume on its own.
 */
public final class WebSocketEndpoint extends Construct {

    /** The route keys the stage throttles on their own. */
    static final String DEFAULT_ROUTE_KEY = "$default";
    static final String RESUME_ROUTE_KEY = ResumeProtocol.ROUTE;

    private final WebSocketApi api;
    private final WebSocketStage stage;

    /**
     * @param authorizer the REQUEST authorizer's alias for $connect; empty = $connect open to anyone with the URL
     */
    public WebSocketEndpoint(Construct scope, String id, DeployConfig config,
                             IFunction connect, IFunction disconnect, IFunction defaultRoute, IFunction resume,
                             Optional<IFunction> authorizer) {
        super(scope, id);
        api = WebSocketApi.Builder.create(this, "Api")
                .apiName(Stack.of(this).getStackName())
                .description("wsfanout: clients connect here; broadcasts reach them through @connections")
                .build();
        // addRoute names the routes as the props would ("$connect-Route", ...): an update keeps them.
        WebSocketRouteOptions.Builder connectRoute = WebSocketRouteOptions.builder()
                .integration(new WebSocketLambdaIntegration("ConnectIntegration", connect));
        // API Gateway runs it before the $connect integration; without the identity source (?token=) it
        // answers 401 without invoking it. WebSocket authorizers have no result cache to turn off: the
        // TTL (AuthorizerResultTtlInSeconds) is supported only for HTTP APIs, and a connection is
        // authorized once, at $connect.
        authorizer.ifPresent(function -> connectRoute.authorizer(WebSocketLambdaAuthorizer.Builder
                .create("ConnectAuthorizer", function)
                .authorizerName(Stack.of(this).getStackName() + "-connect")
                .identitySource(List.of(ConnectAuth.IDENTITY_SOURCE))
                .build()));
        api.addRoute("$connect", connectRoute.build());
        WebSocketRoute disconnectRoute = api.addRoute("$disconnect", route("Disconnect", disconnect));
        WebSocketRoute defaultRouteRoute = api.addRoute(DEFAULT_ROUTE_KEY, route("Default", defaultRoute));
        WebSocketRoute resumeRoute = api.addRoute(RESUME_ROUTE_KEY, route("Resume", resume));
        stage = WebSocketStage.Builder.create(this, "Stage")
                .webSocketApi(api)
                .stageName(config.stageName())
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(config.throttleRateLimit())
                        .burstLimit(config.throttleBurstLimit())
                        .build())
                .build();
        // WebSocketStage has no per-route settings: the stage's RouteSettings, keyed by route key, in
        // CloudFormation's own field names. API Gateway refuses route settings for a route it does not
        // have yet, hence the dependency.
        CfnStage cfnStage = (CfnStage) stage.getNode().getDefaultChild();
        cfnStage.setRouteSettings(Map.of(
                DEFAULT_ROUTE_KEY, Map.of(
                        "ThrottlingRateLimit", config.defaultRouteThrottleRateLimit(),
                        "ThrottlingBurstLimit", config.defaultRouteThrottleBurstLimit()),
                // Every reconnect and every keep-alive is a resume, and all resumes read one history
                // partition key, whose strongly consistent reads DynamoDB limits to 3,000 read units/s
                // (per partition): the throttle keeps them under it (DeployConfig's defaults say how).
                RESUME_ROUTE_KEY, Map.of(
                        "ThrottlingRateLimit", config.resumeRouteThrottleRateLimit(),
                        "ThrottlingBurstLimit", config.resumeRouteThrottleBurstLimit())));
        for (WebSocketRoute throttled : List.of(defaultRouteRoute, resumeRoute)) {
            cfnStage.addResourceDependency((CfnResource) throttled.getNode().getDefaultChild());
        }

        if (authorizer.isPresent()) {
            // $connect carries the authorizer (CUSTOM) and passes APIG4 on its own. API Gateway lets a
            // WebSocket API authorize on $connect only, so the other routes can hold none.
            for (WebSocketRoute route : List.of(disconnectRoute, defaultRouteRoute, resumeRoute)) {
                // On the route resource alone, not on its integration and permission.
                NagSuppressions.addResourceSuppressions(route.getNode().getDefaultChild(), List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-APIG4")
                        .reason("API Gateway authorizes a WebSocket API on $connect only (the connection is "
                                + "authenticated once); this route runs only on a connection the $connect "
                                + "authorizer accepted and can carry no authorizer of its own")
                        .build()));
            }
        } else {
            NagSuppressions.addResourceSuppressions(api, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-APIG4")
                    .reason("authorizer=false by the deployer's choice: $connect is open and wsfanout broadcasts "
                            + "to anyone who has the URL (the default, authorizer=true, puts a Lambda REQUEST "
                            + "authorizer on $connect)")
                    .build()), true);
        }
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

    /** The one resource postMessage and resume may call: PostToConnection on this API's stage. */
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
