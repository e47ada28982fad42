package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.wsfanout.model.ConnectAuth;
import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.LedgerKeys;
import dev.wsfanout.model.ResumeProtocol;
import dev.wsfanout.model.StreamHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Who connects and who broadcasts, and what bounds the lifecycle functions: the default deployment
 * (authorizer on) and one with {@code -c authorizer=false}, each synthesized once with the
 * AwsSolutions checks applied.
 */
class WsfanoutStackAccessTest {

    private static final String STATES_ARN = "arn:{AWS::Partition}:states:{AWS::Region}:{AWS::AccountId}:";

    private static Template template;
    private static TemplateView view;
    private static Annotations annotations;
    private static Template open;
    private static TemplateView openView;
    private static Annotations openAnnotations;

    @BeforeAll
    static void synthesize() throws IOException {
        Path jar = StackUnderTest.handlersJar(Files.createTempDirectory("wsfanout-cdk-access"));
        WsfanoutStack stack = StackUnderTest.stack(StackUnderTest.appWithNag(), DeployConfig.defaults(), jar,
                StackUnderTest.DEFINITION);
        template = Template.fromStack(stack);
        view = new TemplateView(template.toJSON());
        annotations = Annotations.fromStack(stack);

        // As `cdk deploy -c authorizer=false` reads it.
        DeployConfig openConfig = new DeployContext(Map.of("authorizer", "false")).config();
        WsfanoutStack openStack = StackUnderTest.stack(StackUnderTest.appWithNag(), openConfig, jar,
                StackUnderTest.DEFINITION);
        open = Template.fromStack(openStack);
        openView = new TemplateView(open.toJSON());
        openAnnotations = Annotations.fromStack(openStack);
    }

    // --- who connects -------------------------------------------------------------------------

    @Test
    void connectIsBehindALambdaRequestAuthorizerOnTheTokenQueryParameter() {
        Capture uri = new Capture();
        template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Match.objectLike(Map.of(
                "AuthorizerType", "REQUEST",
                "IdentitySource", List.of(ConnectAuth.IDENTITY_SOURCE),
                "AuthorizerUri", uri,
                // WebSocket authorizers have no result cache: the TTL is an HTTP API setting.
                "AuthorizerResultTtlInSeconds", Match.absent())));
        assertEquals("route.request.querystring.token", ConnectAuth.IDENTITY_SOURCE);
        assertTrue(TemplateView.render(uri.asObject()).contains("/functions/{AuthorizerAlias}/invocations"),
                TemplateView.render(uri.asObject()));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "dev.wsfanout.handlers.ConnectAuthorizerHandler", "MemorySize", 512, "Timeout", 10)));

        Set<String> authorizers = view.logicalIds("AWS::ApiGatewayV2::Authorizer", "AuthorizerType", "REQUEST");
        assertEquals(1, authorizers.size());
        Map<String, Object> connect = route(view, "$connect");
        assertEquals("CUSTOM", connect.get("AuthorizationType"));
        assertEquals("{" + authorizers.iterator().next() + "}", TemplateView.render(connect.get("AuthorizerId")));
        for (String other : List.of("$disconnect", "$default", ResumeProtocol.ROUTE)) {
            assertEquals("NONE", route(view, other).get("AuthorizationType"), other);
        }

        // API Gateway may invoke the authorizer's alias, for this API's authorizers only.
        Capture source = new Capture();
        Capture function = new Capture();
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction",
                "Principal", "apigateway.amazonaws.com",
                "FunctionName", function,
                "SourceArn", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(Match.arrayWith(
                        List.of(Match.stringLikeRegexp(".*/authorizers/.*"))))))))));
        assertEquals("{AuthorizerAlias}", TemplateView.render(function.asObject()));
    }

    @Test
    void theTokenSecretIsGeneratedByTheStackAndReadOnlyByTheAuthorizer() {
        Capture generator = new Capture();
        template.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
                "GenerateSecretString", generator,
                "SecretString", Match.absent())));
        Number length = (Number) TemplateView.map(generator.asObject()).get("PasswordLength");
        assertTrue(length.intValue() >= 48, "PasswordLength " + length);

        List<String> readers = new ArrayList<>();
        view.permissionsByRole().forEach((role, lines) -> lines.stream()
                .filter(line -> line.contains("TokenSecret"))
                .forEach(line -> readers.add(role + ": " + line)));
        assertEquals(List.of("{AuthorizerRole}: secretsmanager:DescribeSecret,secretsmanager:GetSecretValue on {TokenSecret}"),
                readers);
        assertEquals(List.of(), view.ofType("AWS::SecretsManager::ResourcePolicy"));
        assertTrue(TemplateView.statementLines(broadcasterPolicyDocument(view)).stream()
                .noneMatch(line -> line.contains("secretsmanager")));

        Map<String, Object> env = environment(FanoutFunction.AUTHORIZER);
        assertEquals(Set.of(ConnectAuth.TOKEN_SECRET_ID, ConnectAuth.TOKEN_AUDIENCE), env.keySet());
        assertEquals("{TokenSecret}", TemplateView.render(env.get(ConnectAuth.TOKEN_SECRET_ID)));
        // The stack name: one stack's tokens do not open another's endpoint.
        assertEquals("Wsfanout", env.get(ConnectAuth.TOKEN_AUDIENCE));
        for (FanoutFunction f : FanoutFunction.values()) {
            if (f != FanoutFunction.AUTHORIZER) {
                assertFalse(environment(f).containsKey(ConnectAuth.TOKEN_SECRET_ID), f.key());
            }
        }
    }

    @Test
    void theBlanketApig4SuppressionIsGoneOnlyTheRoutesThatCannotHoldAnAuthorizerKeepOne() {
        assertEquals(List.of(), StackUnderTest.nagErrors(annotations));
        Set<String> apig4 = new TreeSet<>();
        view.nagSuppressionsByResource().forEach((resource, rules) -> {
            if (rules.contains("AwsSolutions-APIG4")) {
                apig4.add(resource);
            }
        });
        Set<String> expected = new TreeSet<>();
        expected.addAll(view.logicalIds("AWS::ApiGatewayV2::Route", "RouteKey", "$disconnect"));
        expected.addAll(view.logicalIds("AWS::ApiGatewayV2::Route", "RouteKey", "$default"));
        expected.addAll(view.logicalIds("AWS::ApiGatewayV2::Route", "RouteKey", ResumeProtocol.ROUTE));
        assertEquals(3, expected.size());
        assertEquals(expected, apig4);
        // The secret's one accepted finding: no rotation Lambda (docs/deploy.md says how to rotate by hand).
        assertEquals(Set.of("AwsSolutions-SMG4"), view.nagSuppressionsByResource().get("TokenSecret"));
    }

    @Test
    void withAuthorizerFalseConnectIsOpenAndTheApig4SuppressionIsBackWithItsReason() {
        assertEquals(List.of(), StackUnderTest.nagErrors(openAnnotations));
        open.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 0);
        open.resourceCountIs("AWS::SecretsManager::Secret", 0);
        open.resourceCountIs("AWS::Lambda::Function", 8);
        assertTrue(openView.ofType("AWS::Lambda::Function").stream()
                .noneMatch(f -> FanoutFunction.AUTHORIZER.handler().equals(
                        TemplateView.map(f.get("Properties")).get("Handler"))));
        assertEquals("NONE", route(openView, "$connect").get("AuthorizationType"));

        Map<String, Object> api = openView.ofType("AWS::ApiGatewayV2::Api").get(0);
        String reason = nagReason(api, "AwsSolutions-APIG4");
        assertTrue(reason.startsWith("authorizer=false by the deployer's choice"), reason);
        for (String key : List.of("$connect", "$disconnect", "$default", ResumeProtocol.ROUTE)) {
            assertFalse(nagReason(routeResource(openView, key), "AwsSolutions-APIG4").isEmpty(), key);
        }

        Map<String, Object> outputs = TemplateView.map(open.toJSON().get("Outputs"));
        assertFalse(outputs.containsKey("TokenSecretArn"));
        assertFalse(outputs.containsKey("TokenAudience"));
        assertTrue(outputs.containsKey("BroadcasterPolicyArn"));
        // The rest does not depend on the authorizer.
        open.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "RouteSettings", Map.of("$default", Map.of("ThrottlingRateLimit", 500, "ThrottlingBurstLimit", 1000),
                        ResumeProtocol.ROUTE, Map.of("ThrottlingRateLimit", 2000, "ThrottlingBurstLimit", 4000)))));
    }

    // --- function isolation -------------------------------------------------------------------

    @Test
    void theLifecycleFunctionsHaveReservedConcurrencyAndTheBroadcastPathSharesTheUnreservedPool() {
        Map<FanoutFunction, Object> reserved = new EnumMap<>(FanoutFunction.class);
        for (Map<String, Object> function : view.ofType("AWS::Lambda::Function")) {
            Map<String, Object> p = TemplateView.map(function.get("Properties"));
            for (FanoutFunction f : FanoutFunction.values()) {
                if (f.handler().equals(p.get("Handler"))) {
                    reserved.put(f, p.getOrDefault("ReservedConcurrentExecutions", "unreserved"));
                }
            }
        }
        Map<FanoutFunction, Object> expected = new EnumMap<>(Map.of(
                FanoutFunction.CONNECT, 100, FanoutFunction.DISCONNECT, 100, FanoutFunction.AUTHORIZER, 100,
                FanoutFunction.DEFAULT_ROUTE, 50, FanoutFunction.RESUME, 50, FanoutFunction.SWEEPER, 1,
                FanoutFunction.QUERY, "unreserved", FanoutFunction.POST_MESSAGE, "unreserved",
                FanoutFunction.AUDIT, "unreserved"));
        assertEquals(expected, reserved);
        // What the README states: 401 reserved leaves 599 of a default account's 1,000, well above the
        // 100 Lambda keeps unreserved, for query (40 Map children), postMessage (10 × 2) and audit.
        int sum = Stream.of(FanoutFunction.values()).map(FanoutFunction::defaults)
                .map(FunctionSettings::reservedConcurrency).filter(OptionalInt::isPresent)
                .mapToInt(OptionalInt::getAsInt).sum();
        assertEquals(401, sum);
    }

    /**
     * $default tighter than the rest; resume on its own: every reconnect and keep-alive is one, and
     * all of them read one history partition key (3,000 strongly consistent read units/s).
     */
    @Test
    void theStageThrottlesTheDefaultRouteTighterThanTheRestAndResumeOnItsOwn() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "DefaultRouteSettings", Match.objectLike(Map.of("ThrottlingRateLimit", 1000, "ThrottlingBurstLimit", 500)),
                "RouteSettings", Map.of(
                        "$default", Map.of("ThrottlingRateLimit", 500, "ThrottlingBurstLimit", 1000),
                        ResumeProtocol.ROUTE, Map.of("ThrottlingRateLimit", 2000, "ThrottlingBurstLimit", 4000)))));
        // API Gateway refuses route settings for a route the API does not have yet.
        Map<String, Object> stage = view.ofType("AWS::ApiGatewayV2::Stage").get(0);
        for (String key : List.of("$default", ResumeProtocol.ROUTE)) {
            String throttled = view.logicalIds("AWS::ApiGatewayV2::Route", "RouteKey", key).iterator().next();
            assertTrue(TemplateView.list(stage.get("DependsOn")).stream()
                            .anyMatch(id -> id.toString().replaceFirst("[0-9A-F]{8}$", "").equals(throttled)),
                    key + " in " + stage.get("DependsOn"));
        }
    }

    @Test
    void theResumeRouteInvokesTheResumeFunctionsAliasWhichIsReservedAndSized() {
        Map<String, Object> resume = route(view, ResumeProtocol.ROUTE);
        assertEquals("NONE", resume.get("AuthorizationType"));
        String integration = TemplateView.render(resume.get("Target")).replaceFirst("^integrations/\\{(.*)}$", "$1");
        String uri = TemplateView.render(TemplateView.map(view.resource(integration).get("Properties")).get("IntegrationUri"));
        assertTrue(uri.contains("/functions/{ResumeAlias}/invocations"), uri);
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "dev.wsfanout.handlers.ResumeHandler",
                "MemorySize", 512,
                "Timeout", 30,
                "ReservedConcurrentExecutions", 50)));
        // API Gateway may invoke the resume alias, from this API's resume route only.
        List<String> invokers = view.ofType("AWS::Lambda::Permission").stream()
                .map(p -> TemplateView.map(p.get("Properties")))
                .filter(p -> "{ResumeAlias}".equals(TemplateView.render(p.get("FunctionName"))))
                .map(p -> p.get("Action") + " by " + p.get("Principal") + " from " + TemplateView.render(p.get("SourceArn")))
                .toList();
        assertEquals(List.of("lambda:InvokeFunction by apigateway.amazonaws.com from arn:{AWS::Partition}:execute-api:"
                + "{AWS::Region}:{AWS::AccountId}:{WebSocketApi}/*" + ResumeProtocol.ROUTE), invokers);
    }

    // --- who broadcasts -----------------------------------------------------------------------

    @Test
    void theBroadcasterPolicyAllowsExactlyStartingAndReadingThisStateMachinesBroadcasts() {
        assertEquals(Set.of(
                        "states:StartExecution on {BroadcastStateMachine}",
                        "states:DescribeExecution,states:GetExecutionHistory on " + STATES_ARN
                                + "execution:{BroadcastStateMachine.Name}:*",
                        "states:DescribeMapRun on " + STATES_ARN + "mapRun:{BroadcastStateMachine.Name}/*"),
                TemplateView.statementLines(broadcasterPolicyDocument(view)));
        Map<String, Object> props = TemplateView.map(broadcasterPolicy(view).get("Properties"));
        // For users to attach: the stack attaches it to nothing.
        assertFalse(props.containsKey("Roles"));
        assertFalse(props.containsKey("Users"));
        assertFalse(props.containsKey("Groups"));
        assertTrue(TemplateView.statementLines(broadcasterPolicyDocument(view)).stream()
                .noneMatch(line -> line.contains("StopExecution") || line.contains("dynamodb") || line.endsWith(" on *")));
    }

    /**
     * The policy follows the CLI: every Step Functions call in app/'s {@code wsfanout send} and
     * {@code wsfanout audit} code (BroadcastStarter, AuditReader) is an action of the policy, and every
     * action of the policy is called. On AWS the CLI reads no table (AuditReader takes the tallies from
     * the execution history), so the policy grants no DynamoDB action.
     */
    @Test
    void theBroadcasterPolicysActionsAreTheStepFunctionsCallsTheCliMakes() throws IOException {
        Path cli = StackUnderTest.REPOSITORY_ROOT.resolve("app/src/main/java/dev/wsfanout/cli");
        Pattern call = Pattern.compile("\\bsfn(?:\\(\\))?\\.([a-z][A-Za-z]+)\\(");
        Set<String> called = new TreeSet<>();
        try (Stream<Path> files = Files.list(cli)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(file));
                while (m.find()) {
                    String method = m.group(1).replaceFirst("Paginator$", "");
                    if (!method.equals("close")) {
                        called.add("states:" + Character.toUpperCase(method.charAt(0)) + method.substring(1));
                    }
                }
            }
        }
        Set<String> granted = new TreeSet<>();
        for (String line : TemplateView.statementLines(broadcasterPolicyDocument(view))) {
            granted.addAll(List.of(line.substring(0, line.indexOf(" on ")).split(",")));
        }
        assertEquals(granted, called, "update BroadcasterPolicy with the CLI's Step Functions calls");
    }

    @Test
    void theBroadcasterPolicyArnIsAnOutput() {
        Map<String, Object> outputs = TemplateView.map(template.toJSON().get("Outputs"));
        assertEquals("{BroadcasterPolicy}",
                TemplateView.render(TemplateView.map(outputs.get("BroadcasterPolicyArn")).get("Value")));
    }

    // --- retention ----------------------------------------------------------------------------

    @Test
    void broadcastsAndDeliveriesExpireOnTheConnectionsTtlAttribute() {
        List<String> withTtl = new ArrayList<>();
        for (Map<String, Object> table : view.ofType("AWS::DynamoDB::Table")) {
            Map<String, Object> p = TemplateView.map(table.get("Properties"));
            Object ttl = p.get("TimeToLiveSpecification");
            if (ttl != null) {
                assertEquals(Map.of("AttributeName", FanoutSchema.EXPIRES_AT, "Enabled", true), ttl);
                withTtl.add(TemplateView.map(TemplateView.list(p.get("KeySchema")).get(0)).get("AttributeName").toString());
            }
        }
        withTtl.sort(null);
        // connections, deliveries (ledgerShard), broadcasts, history (stream); only partitions lives on.
        assertEquals(List.of(FanoutSchema.BROADCAST_ID, FanoutSchema.CONNECTION_ID, LedgerKeys.SHARD_KEY,
                StreamHistory.STREAM), withTtl);
    }

    // --- helpers ------------------------------------------------------------------------------

    private static Map<String, Object> broadcasterPolicy(TemplateView v) {
        List<Map<String, Object>> unattached = v.ofType("AWS::IAM::ManagedPolicy").stream()
                .filter(p -> !TemplateView.map(p.get("Properties")).containsKey("Roles"))
                .toList();
        assertEquals(1, unattached.size(), "the broadcaster policy is the one managed policy attached to no role");
        return unattached.get(0);
    }

    private static Map<String, Object> broadcasterPolicyDocument(TemplateView v) {
        return TemplateView.map(TemplateView.map(broadcasterPolicy(v).get("Properties")).get("PolicyDocument"));
    }

    private static Map<String, Object> routeResource(TemplateView v, String routeKey) {
        return v.ofType("AWS::ApiGatewayV2::Route").stream()
                .filter(r -> routeKey.equals(TemplateView.map(r.get("Properties")).get("RouteKey")))
                .findFirst().orElseThrow(() -> new AssertionError("no route " + routeKey));
    }

    private static Map<String, Object> route(TemplateView v, String routeKey) {
        return TemplateView.map(routeResource(v, routeKey).get("Properties"));
    }

    /** The reason of a cdk-nag suppression on {@code resource}, or "" if it has none for {@code rule}. */
    private static String nagReason(Map<String, Object> resource, String rule) {
        Object metadata = resource.get("Metadata");
        Object nag = metadata == null ? null : TemplateView.map(metadata).get("cdk_nag");
        if (nag == null) {
            return "";
        }
        return TemplateView.list(TemplateView.map(nag).get("rules_to_suppress")).stream()
                .map(TemplateView::map)
                .filter(r -> rule.equals(r.get("id")))
                .map(r -> r.get("reason").toString())
                .findFirst().orElse("");
    }

    private static Map<String, Object> environment(FanoutFunction function) {
        Capture env = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", function.handler(),
                "Environment", Map.of("Variables", env))));
        return TemplateView.map(env.asObject());
    }
}
