package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.DefinitionSubstitutions;
import dev.wsfanout.model.DeploymentDefaults;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.LedgerKeys;
import dev.wsfanout.model.ResumeProtocol;
import dev.wsfanout.model.StreamHistory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The default deployment, synthesized once with the AwsSolutions checks applied. */
class WsfanoutStackTest {

    private static final String BROADCASTS = "{TablesBroadcasts.Arn}";
    private static final String DELIVERIES = "{TablesDeliveries.Arn}";
    private static final String HISTORY = "{TablesHistory.Arn}";
    private static final String POST_TO_CONNECTION = "execute-api:ManageConnections on arn:{AWS::Partition}:"
            + "execute-api:{AWS::Region}:{AWS::AccountId}:{WebSocketApi}/prod/POST/@connections/*";

    private static Template template;
    private static Annotations annotations;
    private static TemplateView view;

    @BeforeAll
    static void synthesize() throws IOException {
        Path dir = Files.createTempDirectory("wsfanout-cdk-test");
        App app = StackUnderTest.appWithNag();
        WsfanoutStack stack = StackUnderTest.stack(app, DeployConfig.defaults(), StackUnderTest.handlersJar(dir),
                StackUnderTest.DEFINITION);
        template = Template.fromStack(stack);
        annotations = Annotations.fromStack(stack);
        view = new TemplateView(template.toJSON());
    }

    @Test
    void awsSolutionsChecksFindNothingUnsuppressed() {
        assertEquals(List.of(), StackUnderTest.nagErrors(annotations));
    }

    @Test
    void resourceCounts() {
        template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
        template.resourceCountIs("AWS::ApiGatewayV2::Stage", 1);
        template.resourceCountIs("AWS::ApiGatewayV2::Route", 4);
        template.resourceCountIs("AWS::ApiGatewayV2::Integration", 4);
        template.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
        template.resourceCountIs("AWS::SecretsManager::Secret", 1);
        template.resourceCountIs("AWS::DynamoDB::Table", 5);
        template.resourceCountIs("AWS::SQS::Queue", 20);
        template.resourceCountIs("AWS::SQS::QueuePolicy", 20);
        template.resourceCountIs("AWS::Lambda::Function", 9);
        template.resourceCountIs("AWS::Lambda::Version", 9);
        template.resourceCountIs("AWS::Lambda::Alias", 9);
        // One per route and one for the authorizer (API Gateway's), one for the sweeper's schedule.
        template.resourceCountIs("AWS::Lambda::Permission", 6);
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 10);
        template.resourceCountIs("AWS::StepFunctions::StateMachine", 1);
        template.resourceCountIs("AWS::Events::Rule", 1);
        template.resourceCountIs("AWS::CloudWatch::Alarm", 12);
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        template.resourceCountIs("AWS::Logs::LogGroup", 10);
        template.resourceCountIs("AWS::IAM::Role", 10);
        // The broadcaster's. At ten shards every role's statements fit its inline policy: CDK splits off
        // no overflow policy.
        template.resourceCountIs("AWS::IAM::ManagedPolicy", 1);
    }

    @Test
    void eachShardFeedsPostMessagesAliasInBatchesOfTenWithPartialFailuresAndACap() {
        List<Map<String, Object>> mappings = view.ofType("AWS::Lambda::EventSourceMapping");
        Set<String> sources = new TreeSet<>();
        for (Map<String, Object> mapping : mappings) {
            Map<String, Object> p = TemplateView.map(mapping.get("Properties"));
            assertEquals(10, p.get("BatchSize"));
            assertEquals(List.of("ReportBatchItemFailures"), p.get("FunctionResponseTypes"));
            assertEquals(Map.of("MaximumConcurrency", 2), p.get("ScalingConfig"));
            // The alias-qualified name ("<function name>:live"), so the mapping invokes the SnapStart alias.
            assertEquals("select(6,split(:,{PostMessageAlias})):live", TemplateView.render(p.get("FunctionName")));
            sources.add(TemplateView.render(p.get("EventSourceArn")));
        }
        assertEquals(shards(i -> "{QueuesShard" + i + ".Arn}"), sources);
    }

    @Test
    void shardQueuesRedriveToTheirDlqAfterFiveReceivesAndOutwaitSixPostMessageTimeouts() {
        for (int shard = 0; shard < 10; shard++) {
            Capture dlq = new Capture();
            template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                    "QueueName", "Wsfanout-shard-" + shard,
                    "VisibilityTimeout", 120,
                    "SqsManagedSseEnabled", true,
                    "MaximumMessageSize", 262_144,
                    "RedrivePolicy", Map.of("deadLetterTargetArn", dlq, "maxReceiveCount", 5)));
            assertEquals("{QueuesShard" + shard + "Dlq.Arn}", TemplateView.render(dlq.asObject()));
            template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                    "QueueName", "Wsfanout-shard-" + shard + "-dlq",
                    "SqsManagedSseEnabled", true,
                    "MessageRetentionPeriod", 1_209_600));
        }
    }

    @Test
    void everyQueueDeniesRequestsWithoutTls() {
        template.allResourcesProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    @Test
    void tablesAreOnDemandWithTtlPitrAndTheKeysOnlyPartitionIndex() {
        template.allResourcesProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))));
        template.allResources("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain")));
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "KeySchema", List.of(Map.of("AttributeName", FanoutSchema.CONNECTION_ID, "KeyType", "HASH")),
                "TimeToLiveSpecification", Map.of("AttributeName", FanoutSchema.EXPIRES_AT, "Enabled", true),
                "GlobalSecondaryIndexes", List.of(Map.of(
                        "IndexName", "byPartition",
                        "KeySchema", List.of(Map.of("AttributeName", FanoutSchema.PARTITION_ID, "KeyType", "HASH"),
                                Map.of("AttributeName", FanoutSchema.CONNECTION_ID, "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "KEYS_ONLY"))))));
        // The delivery ledger: "<broadcastId>#<0..63>" partition keys; plan, chunk and tally entries.
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "KeySchema", List.of(Map.of("AttributeName", LedgerKeys.SHARD_KEY, "KeyType", "HASH"),
                        Map.of("AttributeName", LedgerKeys.ENTRY, "KeyType", "RANGE")),
                "AttributeDefinitions", List.of(Map.of("AttributeName", LedgerKeys.SHARD_KEY, "AttributeType", "S"),
                        Map.of("AttributeName", LedgerKeys.ENTRY, "AttributeType", "S")),
                "TimeToLiveSpecification", Map.of("AttributeName", FanoutSchema.EXPIRES_AT, "Enabled", true))));
        // Broadcast records expire as their ledger does, on the same attribute.
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "KeySchema", List.of(Map.of("AttributeName", FanoutSchema.BROADCAST_ID, "KeyType", "HASH")),
                "AttributeDefinitions", List.of(Map.of("AttributeName", FanoutSchema.BROADCAST_ID, "AttributeType", "S")),
                "TimeToLiveSpecification", Map.of("AttributeName", FanoutSchema.EXPIRES_AT, "Enabled", true))));
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "KeySchema", List.of(Map.of("AttributeName", FanoutSchema.PARTITION_ID, "KeyType", "HASH")),
                "TimeToLiveSpecification", Match.absent())));
        // The stream's history: entries by number (a resume queries a range of them), expiring as the records do.
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "KeySchema", List.of(Map.of("AttributeName", StreamHistory.STREAM, "KeyType", "HASH"),
                        Map.of("AttributeName", StreamHistory.SEQ, "KeyType", "RANGE")),
                "AttributeDefinitions", List.of(Map.of("AttributeName", StreamHistory.STREAM, "AttributeType", "S"),
                        Map.of("AttributeName", StreamHistory.SEQ, "AttributeType", "N")),
                "TimeToLiveSpecification", Map.of("AttributeName", FanoutSchema.EXPIRES_AT, "Enabled", true),
                "GlobalSecondaryIndexes", Match.absent())));
    }

    @Test
    void functionsAreJava21Arm64WithSnapStartJsonLogsAndTheirOwnSizes() {
        for (FanoutFunction f : FanoutFunction.values()) {
            template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                    "Handler", f.handler(),
                    "Runtime", "java21",
                    "Architectures", List.of("arm64"),
                    "MemorySize", f.defaults().memoryMb(),
                    "Timeout", f.defaults().timeoutSeconds(),
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                    "LoggingConfig", Match.objectLike(Map.of(
                            "LogFormat", "JSON", "ApplicationLogLevel", "INFO", "SystemLogLevel", "INFO")),
                    "ReservedConcurrentExecutions", f.defaults().reservedConcurrency().isPresent()
                            ? f.defaults().reservedConcurrency().getAsInt() : Match.absent())));
        }
        template.allResourcesProperties("AWS::Lambda::Alias", Match.objectLike(Map.of("Name", "live")));
    }

    @Test
    void functionsGetTheHandlerEnvironmentWithDeployedNames() {
        Capture env = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.POST_MESSAGE.handler(),
                "Environment", Map.of("Variables", env))));
        Map<String, Object> vars = TemplateView.map(env.asObject());
        assertEquals("2500", vars.get("PARTITION_COUNT"));
        assertEquals("10", vars.get("SHARD_COUNT"));
        assertEquals("100", vars.get("CHUNK_SIZE"));
        assertEquals("450", vars.get("POST_RATE"));
        assertEquals("100", vars.get("POST_CONCURRENCY"));
        assertEquals("byPartition", vars.get("PARTITION_INDEX"));
        assertEquals("{TablesConnections}", TemplateView.render(vars.get("CONNECTIONS_TABLE")));
        assertEquals("{TablesPartitions}", TemplateView.render(vars.get("PARTITIONS_TABLE")));
        assertEquals("{TablesBroadcasts}", TemplateView.render(vars.get("BROADCASTS_TABLE")));
        assertEquals("{TablesDeliveries}", TemplateView.render(vars.get("DELIVERIES_TABLE")));
        assertEquals("{TablesHistory}", TemplateView.render(vars.get(FanoutConfig.HISTORY_TABLE)));
        assertEquals(String.valueOf(StreamHistory.DEFAULT_MAX_COUNT), vars.get(FanoutConfig.HISTORY_MAX_COUNT));
        assertEquals(String.valueOf(StreamHistory.DEFAULT_MAX_AGE.toSeconds()), vars.get(FanoutConfig.HISTORY_MAX_AGE_SECONDS));
        assertEquals(String.join(",", shardsInOrder(i -> "{QueuesShard" + i + "}")),
                TemplateView.render(vars.get("SHARD_QUEUE_URLS")));
        assertEquals("https://{WebSocketApi}.execute-api.{AWS::Region}.{AWS::URLSuffix}/prod",
                TemplateView.render(vars.get("MANAGEMENT_ENDPOINT")));
        assertFalse(vars.containsKey("DYNAMODB_ENDPOINT"));
        assertFalse(vars.containsKey("SQS_ENDPOINT"));

        Capture connectEnv = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.CONNECT.handler(),
                "Environment", Map.of("Variables", connectEnv))));
        Map<String, Object> connectVars = TemplateView.map(connectEnv.asObject());
        assertFalse(connectVars.containsKey("SHARD_QUEUE_URLS"));
        assertFalse(connectVars.containsKey("MANAGEMENT_ENDPOINT"));

        // Audit gets the shared environment: the table names, nothing of the queues or the endpoint.
        Capture auditEnv = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.AUDIT.handler(),
                "Environment", Map.of("Variables", auditEnv))));
        Map<String, Object> auditVars = TemplateView.map(auditEnv.asObject());
        assertEquals(TemplateView.render(connectVars.get("BROADCASTS_TABLE")),
                TemplateView.render(auditVars.get("BROADCASTS_TABLE")));
        assertEquals("{TablesBroadcasts}", TemplateView.render(auditVars.get("BROADCASTS_TABLE")));
        assertEquals("{TablesDeliveries}", TemplateView.render(auditVars.get("DELIVERIES_TABLE")));
        assertFalse(auditVars.containsKey("SHARD_QUEUE_URLS"));
        assertFalse(auditVars.containsKey("MANAGEMENT_ENDPOINT"));

        // The sweeper asks GetConnection on the same endpoint postMessage posts to; it sends nothing to the queues.
        Capture sweeperEnv = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.SWEEPER.handler(),
                "Environment", Map.of("Variables", sweeperEnv))));
        Map<String, Object> sweeperVars = TemplateView.map(sweeperEnv.asObject());
        assertEquals(TemplateView.render(vars.get("MANAGEMENT_ENDPOINT")),
                TemplateView.render(sweeperVars.get("MANAGEMENT_ENDPOINT")));
        assertEquals("1000", sweeperVars.get("SWEEP_PROBE_RATE"));
        assertEquals("{TablesConnections}", TemplateView.render(sweeperVars.get("CONNECTIONS_TABLE")));
        assertEquals("{TablesPartitions}", TemplateView.render(sweeperVars.get("PARTITIONS_TABLE")));
        assertFalse(sweeperVars.containsKey("SHARD_QUEUE_URLS"));
        assertFalse(sweeperVars.containsKey("DYNAMODB_ENDPOINT"));

        // The resume function reads the history and the broadcast records and posts back through the
        // endpoint postMessage posts to; it sends nothing to the queues.
        Capture resumeEnv = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.RESUME.handler(),
                "Environment", Map.of("Variables", resumeEnv))));
        Map<String, Object> resumeVars = TemplateView.map(resumeEnv.asObject());
        assertEquals(TemplateView.render(vars.get("MANAGEMENT_ENDPOINT")),
                TemplateView.render(resumeVars.get("MANAGEMENT_ENDPOINT")));
        assertEquals("{TablesHistory}", TemplateView.render(resumeVars.get(FanoutConfig.HISTORY_TABLE)));
        assertEquals("{TablesBroadcasts}", TemplateView.render(resumeVars.get("BROADCASTS_TABLE")));
        assertEquals("100", resumeVars.get(FanoutConfig.HISTORY_MAX_COUNT));
        assertEquals("3600", resumeVars.get(FanoutConfig.HISTORY_MAX_AGE_SECONDS));
        assertEquals("450", resumeVars.get("POST_RATE"));
        assertFalse(resumeVars.containsKey("SHARD_QUEUE_URLS"));
        assertFalse(resumeVars.containsKey("DYNAMODB_ENDPOINT"));
        // Every function but the authorizer gets the shared environment, the history table's name among it.
        for (FanoutFunction f : List.of(FanoutFunction.CONNECT, FanoutFunction.DISCONNECT, FanoutFunction.DEFAULT_ROUTE,
                FanoutFunction.SWEEPER, FanoutFunction.QUERY, FanoutFunction.AUDIT)) {
            Capture other = new Capture();
            template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                    "Handler", f.handler(), "Environment", Map.of("Variables", other))));
            assertEquals("{TablesHistory}", TemplateView.render(TemplateView.map(other.asObject())
                    .get(FanoutConfig.HISTORY_TABLE)), f.key());
        }
    }

    @Test
    void eachRoleHoldsExactlyTheActionsItsHandlerMakes() {
        Map<String, Set<String>> roles = view.permissionsByRole();
        String connections = "{TablesConnections.Arn}";
        String partitions = "{TablesPartitions.Arn}";
        String index = "{TablesConnections.Arn}/index/byPartition";

        assertEquals(Set.of(logs("Connect"),
                "dynamodb:GetItem,dynamodb:PutItem on " + connections,
                "dynamodb:BatchGetItem,dynamodb:UpdateItem on " + partitions), roles.get("{ConnectRole}"));
        assertEquals(Set.of(logs("Disconnect"),
                "dynamodb:DeleteItem on " + connections,
                "dynamodb:UpdateItem on " + partitions), roles.get("{DisconnectRole}"));
        assertEquals(Set.of(logs("DefaultRoute")), roles.get("{DefaultRouteRole}"));
        assertEquals(resumePermissions(), roles.get("{ResumeRole}"));
        assertEquals(Set.of(logs("Authorizer"),
                "secretsmanager:DescribeSecret,secretsmanager:GetSecretValue on {TokenSecret}"), roles.get("{AuthorizerRole}"));
        // No Query on the (eventually consistent) index and no GetItem: a consistent Scan and BatchGetItem.
        assertEquals(Set.of(logs("Sweeper"),
                "dynamodb:DeleteItem,dynamodb:Scan on " + connections,
                "dynamodb:BatchGetItem,dynamodb:UpdateItem on " + partitions,
                "execute-api:ManageConnections on arn:{AWS::Partition}:execute-api:{AWS::Region}:{AWS::AccountId}:"
                        + "{WebSocketApi}/prod/GET/@connections/*"), roles.get("{SweeperRole}"));
        assertFalse(roles.get("{SweeperRole}").stream().anyMatch(line -> line.contains(index)));

        assertEquals(queryPermissions(10), roles.get("{QueryRole}"));

        assertEquals(postMessagePermissions(10), roles.get("{PostMessageRole}"));

        assertEquals(Set.of(logs("Audit"),
                "dynamodb:BatchGetItem on " + BROADCASTS,
                "dynamodb:BatchGetItem on " + DELIVERIES,
                "dynamodb:Query on " + DELIVERIES), roles.get("{AuditRole}"));

        assertEquals(Set.of(
                "lambda:InvokeFunction on {QueryAlias}",
                "lambda:InvokeFunction on {AuditAlias}",
                "dynamodb:PutItem,dynamodb:UpdateItem on " + BROADCASTS,
                "dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem on " + HISTORY,
                "states:StartExecution on {BroadcastStateMachine}",
                "states:DescribeExecution,states:StopExecution on arn:{AWS::Partition}:states:{AWS::Region}:"
                        + "{AWS::AccountId}:execution:{BroadcastStateMachine.Name}/*",
                "logs:CreateLogDelivery,logs:DeleteLogDelivery,logs:DescribeLogGroups,logs:DescribeResourcePolicies,"
                        + "logs:GetLogDelivery,logs:ListLogDeliveries,logs:PutResourcePolicy,logs:UpdateLogDelivery on *"),
                roles.get("{BroadcastRole}"));
        assertEquals(Set.of("{AuditRole}", "{AuthorizerRole}", "{BroadcastRole}", "{ConnectRole}", "{DefaultRouteRole}",
                "{DisconnectRole}", "{PostMessageRole}", "{QueryRole}", "{ResumeRole}", "{SweeperRole}"), roles.keySet());
        // Only the state machine and the resume function touch the history.
        List<String> historyUsers = new ArrayList<>();
        roles.forEach((role, lines) -> lines.stream().filter(line -> line.contains("TablesHistory"))
                .forEach(line -> historyUsers.add(role + ": " + line)));
        assertEquals(List.of("{BroadcastRole}: dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem on " + HISTORY,
                "{ResumeRole}: dynamodb:Query on " + HISTORY), historyUsers);
    }

    /**
     * The resume function's policies may name every connection of the stage, for POST only, and that
     * wildcard is the one IAM5 finding suppressed on them.
     */
    @Test
    void theResumeFunctionPostsOnlyToConnectionsAndItsOneAcceptedWildcardIsThat() {
        assertEquals(List.of(), StackUnderTest.nagErrors(annotations));
        List<String> wildcards = view.permissionsByRole().get("{ResumeRole}").stream()
                .filter(line -> line.contains("*")).toList();
        assertEquals(List.of(POST_TO_CONNECTION), wildcards);
        for (Map<String, Object> policy : view.ofType("AWS::IAM::Policy")) {
            List<Object> roles = TemplateView.list(TemplateView.map(policy.get("Properties")).get("Roles"));
            if (roles.stream().map(TemplateView::render).anyMatch("{ResumeRole}"::equals)) {
                Map<String, Object> nag = TemplateView.map(TemplateView.map(policy.get("Metadata")).get("cdk_nag"));
                List<Object> rules = TemplateView.list(nag.get("rules_to_suppress"));
                assertEquals(1, rules.size(), rules.toString());
                Map<String, Object> rule = TemplateView.map(rules.get(0));
                assertEquals("AwsSolutions-IAM5", rule.get("id"));
                assertEquals(1, TemplateView.list(rule.get("applies_to")).size(), rule.toString());
                assertTrue(rule.get("applies_to").toString().contains("/POST/@connections/"), rule.toString());
            }
        }
    }

    @Test
    void postMessageHasNothingOnTheBroadcastsTable() {
        Set<String> post = view.permissionsByRole().get("{PostMessageRole}");
        assertEquals(List.of(), post.stream().filter(line -> line.contains("TablesBroadcasts")).toList());
        assertEquals(Set.of("dynamodb:GetItem,dynamodb:UpdateItem on " + DELIVERIES),
                post.stream().filter(line -> line.contains("TablesDeliveries")).collect(Collectors.toSet()));
    }

    @Test
    void theAuditFunctionRunsAuditHandlerThroughItsAliasAndOnlyReads() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "dev.wsfanout.handlers.AuditHandler",
                "MemorySize", 1024,
                "Timeout", 60,
                "ReservedConcurrentExecutions", Match.absent())));
        for (String line : view.permissionsByRole().get("{AuditRole}")) {
            String actions = line.substring(0, line.indexOf(" on "));
            for (String action : actions.split(",")) {
                assertTrue(Set.of("dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:GetItem",
                        "logs:CreateLogStream", "logs:PutLogEvents").contains(action), line);
            }
        }
    }

    /**
     * Reads statemachine/broadcast.asl.json itself: on each table its {@code arn:aws:states:::dynamodb:*}
     * tasks name, the role allows exactly the DynamoDB actions of those tasks, and it invokes exactly the
     * functions its {@code lambda:invoke} tasks name.
     */
    @Test
    void theStateMachineRoleMatchesTheTasksOfTheDefinition() throws IOException {
        Map<String, Set<String>> dynamoActionsByTable = new TreeMap<>();
        Set<String> functions = new TreeSet<>();
        collectTasks(new ObjectMapper().readTree(StackUnderTest.DEFINITION.toFile()), dynamoActionsByTable, functions);
        assertEquals(Map.of(
                "${BroadcastsTableName}", Set.of("dynamodb:PutItem", "dynamodb:UpdateItem"),
                "${HistoryTableName}", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")),
                dynamoActionsByTable);
        assertEquals(Set.of("${QueryFunctionArn}", "${AuditFunctionArn}"), functions);

        Map<String, String> tableArns = Map.of("${BroadcastsTableName}", BROADCASTS, "${HistoryTableName}", HISTORY);
        Set<String> expected = new TreeSet<>();
        dynamoActionsByTable.forEach((table, actions) ->
                expected.add(String.join(",", new TreeSet<>(actions)) + " on " + tableArns.get(table)));
        Set<String> role = view.permissionsByRole().get("{BroadcastRole}");
        assertEquals(expected, role.stream()
                .filter(line -> line.startsWith("dynamodb:")).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(Set.of("lambda:InvokeFunction on {QueryAlias}", "lambda:InvokeFunction on {AuditAlias}"),
                role.stream().filter(line -> line.startsWith("lambda:")).collect(Collectors.toSet()));
    }

    @Test
    void noDataActionIsGrantedOnEveryResource() {
        List<String> wildcardData = new ArrayList<>();
        for (String line : view.allStatementLines()) {
            boolean dataAction = line.matches("^(dynamodb|sqs|lambda|states|execute-api):.*");
            if (dataAction && line.endsWith(" on *")) {
                wildcardData.add(line);
            }
        }
        assertEquals(List.of(), wildcardData);
    }

    @Test
    void theStateMachineIsStandardWithEveryContractSubstitution() {
        Capture substitutions = new Capture();
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "StateMachineType", "STANDARD",
                "DefinitionSubstitutions", substitutions,
                "LoggingConfiguration", Match.objectLike(Map.of("Level", "ERROR", "IncludeExecutionData", false)),
                "TracingConfiguration", Map.of("Enabled", false))));
        Map<String, Object> values = TemplateView.map(substitutions.asObject());
        assertEquals("{QueryAlias}", TemplateView.render(values.get("QueryFunctionArn")));
        assertEquals("{AuditAlias}", TemplateView.render(values.get("AuditFunctionArn")));
        assertEquals("{TablesBroadcasts}", TemplateView.render(values.get("BroadcastsTableName")));
        assertEquals("{TablesHistory}", TemplateView.render(values.get("HistoryTableName")));
        assertEquals(Map.of("PartitionCount", "2500",
                        "MapMaxConcurrency", String.valueOf(DeploymentDefaults.MAP_MAX_CONCURRENCY),
                        "ToleratedFailurePercentage", String.valueOf(DeploymentDefaults.TOLERATED_FAILURE_PERCENTAGE),
                        "DeliveryDeadlineSeconds", String.valueOf(DeploymentDefaults.DELIVERY_DEADLINE_SECONDS),
                        "PollIntervalSeconds", String.valueOf(DeploymentDefaults.POLL_INTERVAL_SECONDS)),
                Map.of("PartitionCount", values.get("PartitionCount"),
                        "MapMaxConcurrency", values.get("MapMaxConcurrency"),
                        "ToleratedFailurePercentage", values.get("ToleratedFailurePercentage"),
                        "DeliveryDeadlineSeconds", values.get("DeliveryDeadlineSeconds"),
                        "PollIntervalSeconds", values.get("PollIntervalSeconds")));
        assertEquals(DefinitionSubstitutions.Name.placeholders(), values.keySet());
    }

    @Test
    void theRoutesInvokeTheLifecycleAliasesAndTheStageIsThrottled() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Match.objectLike(Map.of(
                "ProtocolType", "WEBSOCKET", "RouteSelectionExpression", "$request.body.action")));
        for (String route : List.of("$connect", "$disconnect", "$default", ResumeProtocol.ROUTE)) {
            template.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of("RouteKey", route)));
        }
        Set<String> targets = new TreeSet<>();
        for (Map<String, Object> integration : view.ofType("AWS::ApiGatewayV2::Integration")) {
            String uri = TemplateView.render(TemplateView.map(integration.get("Properties")).get("IntegrationUri"));
            targets.add(uri.replaceAll(".*functions/(\\{[A-Za-z]+}).*", "$1"));
        }
        assertEquals(Set.of("{ConnectAlias}", "{DisconnectAlias}", "{DefaultRouteAlias}", "{ResumeAlias}"), targets);
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                "StageName", "prod",
                "AutoDeploy", true,
                "DefaultRouteSettings", Match.objectLike(Map.of(
                        "ThrottlingRateLimit", 1000, "ThrottlingBurstLimit", 500)))));
    }

    @Test
    void theSweeperHasLambdasLongestTimeoutForAWholeProbedSweep() {
        assertEquals(900, FanoutFunction.SWEEPER.defaults().timeoutSeconds());
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FanoutFunction.SWEEPER.handler(),
                "MemorySize", 1024,
                "Timeout", 900)));
    }

    @Test
    void theSweeperRunsEveryFifteenMinutesThroughItsAlias() {
        Capture target = new Capture();
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(15 minutes)",
                "Targets", List.of(Match.objectLike(Map.of("Arn", target))))));
        assertEquals("{SweeperAlias}", TemplateView.render(target.asObject()));
    }

    @Test
    void alarmsWatchEveryDlqPostMessageErrorsAndFailedBroadcasts() {
        Set<String> dlqs = new TreeSet<>();
        for (Map<String, Object> alarm : view.ofType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = TemplateView.map(alarm.get("Properties"));
            assertEquals(1, p.get("Threshold"));
            assertEquals("GreaterThanOrEqualToThreshold", p.get("ComparisonOperator"));
            assertEquals("notBreaching", p.get("TreatMissingData"));
            if ("ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))) {
                Map<String, Object> dimension = TemplateView.map(TemplateView.list(p.get("Dimensions")).get(0));
                dlqs.add(TemplateView.render(dimension.get("Value")));
            }
        }
        assertEquals(shards(i -> "{QueuesShard" + i + "Dlq.QueueName}"), dlqs);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "AWS/Lambda", "MetricName", "Errors",
                "Dimensions", List.of(Map.of("Name", "FunctionName",
                        "Value", Map.of("Ref", Match.stringLikeRegexp("PostMessageFunction.*")))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "AWS/States", "MetricName", "ExecutionsFailed")));
    }

    @Test
    void theDashboardPlotsDeliveriesGoneFailedAndShardDepth() {
        Map<String, Object> dashboard = view.ofType("AWS::CloudWatch::Dashboard").get(0);
        String body = TemplateView.render(TemplateView.map(dashboard.get("Properties")).get("DashboardBody"));
        for (String expected : List.of("\"wsfanout\",\"Delivered\"", "\"wsfanout\",\"Gone\"", "\"wsfanout\",\"Failed\"",
                "delivered / PERIOD(delivered)", "deliveries/s", "ApproximateNumberOfMessagesVisible",
                "{QueuesShard9.QueueName}", "{QueuesShard9Dlq.QueueName}", "ExecutionsFailed")) {
            assertTrue(body.contains(expected), expected + " in " + body);
        }
    }

    @Test
    void outputsGiveTheUrlsTheArnAndAReadyStartCommand() {
        Map<String, Object> outputs = TemplateView.map(template.toJSON().get("Outputs"));
        assertEquals(Set.of("WebSocketUrl", "ManagementEndpoint", "StateMachineArn", "StartBroadcastCommand",
                        "ConnectionsTable", "PartitionsTable", "PartitionCount", "BroadcasterPolicyArn",
                        "TokenSecretArn", "TokenAudience"),
                outputs.keySet());
        assertEquals("{BroadcasterPolicy}", value(outputs, "BroadcasterPolicyArn"));
        assertEquals("{TokenSecret}", value(outputs, "TokenSecretArn"));
        assertEquals("Wsfanout", value(outputs, "TokenAudience"));
        // What `wsfanout census --aws` reads from cdk/cdk-outputs.json.
        assertEquals("{TablesConnections}", value(outputs, "ConnectionsTable"));
        assertEquals("{TablesPartitions}", value(outputs, "PartitionsTable"));
        assertEquals("2500", value(outputs, "PartitionCount"));
        assertEquals("wss://{WebSocketApi}.execute-api.{AWS::Region}.{AWS::URLSuffix}/prod", value(outputs, "WebSocketUrl"));
        assertEquals("https://{WebSocketApi}.execute-api.{AWS::Region}.{AWS::URLSuffix}/prod",
                value(outputs, "ManagementEndpoint"));
        assertEquals("{BroadcastStateMachine}", value(outputs, "StateMachineArn"));
        assertEquals("aws stepfunctions start-execution --region {AWS::Region} --state-machine-arn "
                + "{BroadcastStateMachine} --input '{\"message\":\"hello\"}'", value(outputs, "StartBroadcastCommand"));
    }

    private static String value(Map<String, Object> outputs, String name) {
        return TemplateView.render(TemplateView.map(outputs.get(name)).get("Value"));
    }

    /** The resume function's whole permission set: the history's entries, the records' messages, posts. */
    static Set<String> resumePermissions() {
        return Set.of(logs("Resume"),
                "dynamodb:Query on " + HISTORY,
                "dynamodb:GetItem on " + BROADCASTS,
                POST_TO_CONNECTION);
    }

    /** query's whole permission set at {@code shardCount} shards. */
    static Set<String> queryPermissions(int shardCount) {
        Set<String> query = new TreeSet<>(Set.of(logs("Query"),
                "dynamodb:Query on {TablesConnections.Arn}/index/byPartition",
                "dynamodb:GetItem on " + BROADCASTS,
                "dynamodb:GetItem,dynamodb:PutItem on " + DELIVERIES));
        for (int i = 0; i < shardCount; i++) {
            query.add("sqs:SendMessage on {QueuesShard" + i + ".Arn}");
        }
        return query;
    }

    /** postMessage's whole permission set at {@code shardCount} shards: exact ARNs only, but for PostToConnection. */
    static Set<String> postMessagePermissions(int shardCount) {
        Set<String> post = new TreeSet<>(Set.of(logs("PostMessage"),
                "dynamodb:GetItem,dynamodb:UpdateItem on " + DELIVERIES,
                "dynamodb:DeleteItem on {TablesConnections.Arn}",
                "dynamodb:UpdateItem on {TablesPartitions.Arn}",
                POST_TO_CONNECTION));
        for (int i = 0; i < shardCount; i++) {
            post.add("sqs:SendMessage on {QueuesShard" + i + ".Arn}");
            post.add("sqs:ChangeMessageVisibility,sqs:DeleteMessage,sqs:GetQueueAttributes,"
                    + "sqs:GetQueueUrl,sqs:ReceiveMessage on {QueuesShard" + i + ".Arn}");
        }
        return post;
    }

    private static void collectTasks(JsonNode node, Map<String, Set<String>> dynamoActionsByTable,
                                     Set<String> functions) {
        if (node.isObject()) {
            String resource = node.path("Resource").asText("");
            if (resource.startsWith("arn:aws:states:::dynamodb:")) {
                String api = resource.substring("arn:aws:states:::dynamodb:".length());
                dynamoActionsByTable.computeIfAbsent(node.path("Arguments").path("TableName").asText(),
                        table -> new TreeSet<>()).add("dynamodb:" + Character.toUpperCase(api.charAt(0)) + api.substring(1));
            } else if (resource.equals("arn:aws:states:::lambda:invoke")) {
                functions.add(node.path("Arguments").path("FunctionName").asText());
            } else if (!resource.isEmpty()) {
                throw new AssertionError("a task the role test does not know: " + resource);
            }
        }
        node.forEach(child -> collectTasks(child, dynamoActionsByTable, functions));
    }

    static String logs(String function) {
        return "logs:CreateLogStream,logs:PutLogEvents on {" + function + "Logs.Arn}";
    }

    private static Set<String> shards(IntFunction<String> line) {
        return new TreeSet<>(shardsInOrder(line));
    }

    private static List<String> shardsInOrder(IntFunction<String> line) {
        return IntStream.range(0, 10).mapToObj(line).toList();
    }
}
