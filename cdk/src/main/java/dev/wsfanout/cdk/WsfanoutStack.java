package dev.wsfanout.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.ConnectAuth;
import dev.wsfanout.model.DeploymentDefaults;
import dev.wsfanout.model.FanoutConfig;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The whole pipeline on AWS: the WebSocket API and its lifecycle and resume functions, the tables,
 * the shard queues, the query, postMessage and audit functions, the broadcast state machine, the sweeper
 * schedule, alarms, a dashboard and the outputs an operator needs. Each function's role lists
 * exactly the data actions its handler makes (see {@link #grantDataAccess}). Unless
 * {@code authorizer=false}, a Lambda REQUEST authorizer guards $connect with tokens signed by the
 * stack's own secret (or an OIDC issuer's); {@link BroadcasterPolicy} says who may broadcast.
 * As one cell of several (docs/cells.md) it also lets the home account start its broadcasts.
 */
public final class WsfanoutStack extends Stack {

    /** The single deployment: no cells, no home. */
    public WsfanoutStack(Construct scope, String id, StackProps props, DeployConfig config, DeployArtifacts artifacts) {
        this(scope, id, props, config, artifacts, Optional.empty());
    }

    /**
     * @param home with cells, the home account and Region whose cellBroadcast role may start this
     *             cell's broadcasts (through {@link CellAccessRole}, at the fixed state machine name
     *             {@link CellDirectory#CELL_STATE_MACHINE_NAME}); empty for the single deployment
     */
    public WsfanoutStack(Construct scope, String id, StackProps props, DeployConfig config, DeployArtifacts artifacts,
                         Optional<Home> home) {
        super(scope, id, props);
        FanoutTables tables = new FanoutTables(this, "Tables", config);
        ShardQueues queues = new ShardQueues(this, "Queues", config);
        Code code = Code.fromAsset(artifacts.handlersJar().toString());
        Map<String, String> env = handlerEnvironment(config.fanout(), tables);

        HandlerFunction connect = new HandlerFunction(this, FanoutFunction.CONNECT, config, code, env);
        HandlerFunction disconnect = new HandlerFunction(this, FanoutFunction.DISCONNECT, config, code, env);
        HandlerFunction defaultRoute = new HandlerFunction(this, FanoutFunction.DEFAULT_ROUTE, config, code, env);
        HandlerFunction resume = new HandlerFunction(this, FanoutFunction.RESUME, config, code, env);
        Optional<Secret> tokenSecret = config.authorizer() ? Optional.of(tokenSecret()) : Optional.empty();
        Optional<HandlerFunction> authorizer = tokenSecret.map(secret -> {
            HandlerFunction function = new HandlerFunction(this, FanoutFunction.AUTHORIZER, config, code,
                    authorizerEnvironment(config, secret));
            // GetSecretValue and DescribeSecret on this one secret; nothing else reads it.
            secret.grantRead(function.role());
            return function;
        });
        WebSocketEndpoint endpoint = new WebSocketEndpoint(this, "WebSocket", config,
                connect.alias(), disconnect.alias(), defaultRoute.alias(), resume.alias(),
                authorizer.map(a -> (IFunction) a.alias()));
        // The endpoint's resume route needs the function first, and the function posts back through the endpoint.
        resume.addEnvironment(FanoutConfig.MANAGEMENT_ENDPOINT, endpoint.managementEndpoint());
        // GetConnection on every row old enough tells which connections API Gateway no longer has.
        HandlerFunction sweeper = new HandlerFunction(this, FanoutFunction.SWEEPER, config, code,
                with(env, FanoutConfig.MANAGEMENT_ENDPOINT, endpoint.managementEndpoint()));

        Map<String, String> queryEnv = with(env, FanoutConfig.SHARD_QUEUE_URLS, queues.urlList());
        HandlerFunction query = new HandlerFunction(this, FanoutFunction.QUERY, config, code, queryEnv);
        HandlerFunction postMessage = new HandlerFunction(this, FanoutFunction.POST_MESSAGE, config, code,
                with(queryEnv, FanoutConfig.MANAGEMENT_ENDPOINT, endpoint.managementEndpoint()));
        for (Queue shard : queues.shards()) {
            postMessage.alias().addEventSource(SqsEventSource.Builder.create(shard)
                    .batchSize(DeploymentDefaults.SQS_BATCH_SIZE)
                    .reportBatchItemFailures(true)
                    .maxConcurrency(config.postMaxConcurrency())
                    .build());
        }
        HandlerFunction audit = new HandlerFunction(this, FanoutFunction.AUDIT, config, code, env);
        grantDataAccess(tables, queues, endpoint, connect, disconnect, resume, sweeper, query, postMessage, audit);

        Rule.Builder.create(this, "SweeperSchedule")
                .description("wsfanout: removes expired connections and those API Gateway no longer has, repairs partition counts")
                .schedule(Schedule.rate(Duration.minutes(config.sweeperRateMinutes())))
                // A failed sweep is not retried: the next one is minutes away and redoes it all,
                // and a retry would overlap it, doubling the GetConnection rate.
                .targets(List.of(LambdaFunction.Builder.create(sweeper.alias()).retryAttempts(0).build()))
                .build();

        BroadcastWorkflow workflow = new BroadcastWorkflow(this, "Broadcast", config,
                artifacts.stateMachineDefinition(), query.alias(), audit.alias(), tables.broadcasts(), tables.history(),
                home.map(h -> CellDirectory.CELL_STATE_MACHINE_NAME));
        home.ifPresent(h -> new CellAccessRole(this, "CellAccess", h, workflow.stateMachine()));
        new FanoutAlarms(this, "Alarms", queues.deadLetterQueues(), postMessage.function(), workflow.stateMachine());
        new FanoutDashboard(this, "Dashboard", queues, workflow.stateMachine());

        BroadcasterPolicy broadcaster = new BroadcasterPolicy(this, "Broadcaster", workflow.stateMachine());

        String stateMachineArn = workflow.stateMachine().getStateMachineArn();
        output("WebSocketUrl", endpoint.url(), "what clients connect to");
        output("ManagementEndpoint", endpoint.managementEndpoint(), "the @connections endpoint postMessage posts to");
        output("StateMachineArn", stateMachineArn, "start a broadcast here");
        output("ConnectionsTable", tables.connections().getTableName(), "the connection registry (wsfanout census --aws)");
        output("PartitionsTable", tables.partitions().getTableName(), "each partition's recorded count (wsfanout census --aws)");
        output("PartitionCount", Integer.toString(config.fanout().partitionCount()), "PARTITION_COUNT (wsfanout census --aws)");
        output("StartBroadcastCommand", Fn.join("", List.of("aws stepfunctions start-execution --region ",
                        Aws.REGION, " --state-machine-arn ", stateMachineArn, " --input '{\"message\":\"hello\"}'")),
                "broadcasts \"hello\" to every connected client");
        output("BroadcasterPolicyArn", broadcaster.policy().getManagedPolicyArn(),
                "attach to the role of the application that sends broadcasts: start and audit them, nothing else");
        tokenSecret.ifPresent(secret -> {
            output("TokenSecretArn", secret.getSecretArn(),
                    "HMAC key of the $connect tokens (wsfanout token; your backend signs with it)");
            output("TokenAudience", getStackName(), "the aud claim the $connect authorizer requires of the stack's tokens");
        });
    }

    /**
     * The HMAC key of the stack's own $connect tokens: 64 random letters and digits (about 381 bits;
     * HS256 wants at least 256), generated by Secrets Manager at deploy, never in the template.
     */
    private Secret tokenSecret() {
        Secret secret = Secret.Builder.create(this, "TokenSecret")
                .description("wsfanout " + getStackName() + ": HMAC-SHA256 key of the $connect tokens")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(64)
                        // Letters and digits only: the value survives a shell or a .env file unquoted.
                        .excludePunctuation(true)
                        .build())
                // A new stack generates a new key; a retained one would only be left to pay for.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        NagSuppressions.addResourceSuppressions(secret, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("rotating the key invalidates every token signed with the old one, and the tokens are "
                        + "short-lived (15 min by default, 24 h at most), so nothing is gained by a rotation Lambda; "
                        + "rotate by hand: put-secret-value, then publish a new authorizer version (SnapStart snapshots "
                        + "the key it read at init) and move its alias (docs/deploy.md, Who may connect)")
                .build()));
        return secret;
    }

    /** ConnectAuth's environment: the secret, the stack name as the audience, the optional OIDC issuer. */
    private Map<String, String> authorizerEnvironment(DeployConfig config, Secret secret) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ConnectAuth.TOKEN_SECRET_ID, secret.getSecretArn());
        // One stack's tokens do not open another stack's endpoint, nor the local stack's.
        env.put(ConnectAuth.TOKEN_AUDIENCE, getStackName());
        if (!config.jwtIssuer().isEmpty()) {
            env.put(ConnectAuth.JWT_ISSUER, config.jwtIssuer());
            env.put(ConnectAuth.JWT_AUDIENCE, config.jwtAudience());
        }
        return Map.copyOf(env);
    }

    /** The only data actions each handler makes; anything else is denied by omission. */
    private static void grantDataAccess(FanoutTables tables, ShardQueues queues, WebSocketEndpoint endpoint,
                                        HandlerFunction connect, HandlerFunction disconnect, HandlerFunction resume,
                                        HandlerFunction sweeper, HandlerFunction query, HandlerFunction postMessage,
                                        HandlerFunction audit) {
        String connections = tables.connections().getTableArn();
        String partitions = tables.partitions().getTableArn();
        String broadcasts = tables.broadcasts().getTableArn();
        String deliveries = tables.deliveries().getTableArn();
        String history = tables.history().getTableArn();
        String[] shards = queues.shardArns().toArray(String[]::new);

        // GetItem: a repeated $connect for a registered id returns the registration made first.
        connect.allow(List.of("dynamodb:PutItem", "dynamodb:GetItem"), connections);
        connect.allow(List.of("dynamodb:BatchGetItem", "dynamodb:UpdateItem"), partitions);

        disconnect.allow(List.of("dynamodb:DeleteItem"), connections);
        disconnect.allow(List.of("dynamodb:UpdateItem"), partitions);

        // The stream's entries after the client's since, strongly consistent (docs/resume.md); the
        // head hint is the state machine's, never read here.
        resume.allow(List.of("dynamodb:Query"), history);
        // Each replayed broadcast's message, from its record.
        resume.allow(List.of("dynamodb:GetItem"), broadcasts);
        // The replay goes to the connection that asked, through the endpoint postMessage posts to.
        resume.allow(List.of("execute-api:ManageConnections"), endpoint.postToConnectionArn());
        resume.suppressOnEveryPolicy(List.of(postToConnectionWildcard()));

        // A consistent Scan of every row; deletes the expired rows and those GetConnection answers 410 for.
        sweeper.allow(List.of("dynamodb:Scan", "dynamodb:DeleteItem"), connections);
        // Every partition's count and countChanges, strongly consistent, before and after the scan;
        // lowers the count of a removed row and repairs drifted counts (conditional UpdateItem).
        sweeper.allow(List.of("dynamodb:BatchGetItem", "dynamodb:UpdateItem"), partitions);
        sweeper.allow(List.of("execute-api:ManageConnections"), endpoint.getConnectionArn());
        sweeper.suppressOnEveryPolicy(List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("GetConnection addresses each connection by id in the path; the wildcard is "
                                + "limited to GET on this API's stage (no POST, no DELETE)")
                        .appliesTo(List.of(RegexAppliesTo.builder()
                                .regex("/^Resource::arn:<AWS::Partition>:execute-api:.*/GET/@connections/\\*$/")
                                .build()))
                        .build()));

        query.allow(List.of("dynamodb:Query"), tables.partitionIndexArn());
        // The message, from the broadcast record.
        query.allow(List.of("dynamodb:GetItem"), broadcasts);
        // Persists each batch's plan (first writer wins) and reads back the plan that won.
        query.allow(List.of("dynamodb:PutItem", "dynamodb:GetItem"), deliveries);
        query.allow(List.of("sqs:SendMessage"), shards);

        // Claims and settles chunk markers, counts each outcome into its tally, reads back a marker
        // or a tally; nothing on the broadcasts table (the message travels in the chunk).
        postMessage.allow(List.of("dynamodb:UpdateItem", "dynamodb:GetItem"), deliveries);
        postMessage.allow(List.of("dynamodb:DeleteItem"), connections);
        postMessage.allow(List.of("dynamodb:UpdateItem"), partitions);
        // Re-enqueues the ids that met 429/5xx; receiving and deleting come with the event sources.
        postMessage.allow(List.of("sqs:SendMessage"), shards);
        postMessage.allow(List.of("execute-api:ManageConnections"), endpoint.postToConnectionArn());
        // On every policy of the role, overflow policies included: at many shards the event sources'
        // per-queue statements push the default policy past IAM's inline limit and CDK splits it.
        postMessage.suppressOnEveryPolicy(List.of(postToConnectionWildcard()));

        // The tallies and the record's fan-out figures in one BatchGetItem (every poll); a recount
        // queries each ledger shard.
        audit.allow(List.of("dynamodb:BatchGetItem"), broadcasts, deliveries);
        audit.allow(List.of("dynamodb:Query"), deliveries);
    }

    private static NagPackSuppression postToConnectionWildcard() {
        return NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("PostToConnection addresses each connection by id in the path; the wildcard is "
                        + "limited to POST on this API's stage")
                .appliesTo(List.of(RegexAppliesTo.builder()
                        .regex("/^Resource::arn:<AWS::Partition>:execute-api:.*/POST/@connections/\\*$/")
                        .build()))
                .build();
    }

    /**
     * FanoutConfig's environment with the deployed table names; the endpoint overrides of the local
     * runtime stay unset so the SDK talks to the Region's real endpoints.
     */
    private static Map<String, String> handlerEnvironment(FanoutConfig fanout, FanoutTables tables) {
        Map<String, String> env = new LinkedHashMap<>(fanout.toEnv());
        env.remove(FanoutConfig.DYNAMODB_ENDPOINT);
        env.remove(FanoutConfig.SQS_ENDPOINT);
        env.remove(FanoutConfig.SHARD_QUEUE_URLS);
        env.remove(FanoutConfig.MANAGEMENT_ENDPOINT);
        env.put(FanoutConfig.CONNECTIONS_TABLE, tables.connections().getTableName());
        env.put(FanoutConfig.PARTITION_INDEX, tables.partitionIndexName());
        env.put(FanoutConfig.PARTITIONS_TABLE, tables.partitions().getTableName());
        env.put(FanoutConfig.BROADCASTS_TABLE, tables.broadcasts().getTableName());
        env.put(FanoutConfig.DELIVERIES_TABLE, tables.deliveries().getTableName());
        env.put(FanoutConfig.HISTORY_TABLE, tables.history().getTableName());
        return Map.copyOf(env);
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put(name, value);
        return Map.copyOf(copy);
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
