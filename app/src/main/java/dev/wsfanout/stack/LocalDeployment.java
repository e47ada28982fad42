package dev.wsfanout.stack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import dev.wsfanout.auth.ConnectAuthorizer;
import dev.wsfanout.auth.SharedSecretTokens;
import dev.wsfanout.auth.TokenVerifier;
import dev.wsfanout.aws.AwsClients;
import dev.wsfanout.fanout.BatchQuery;
import dev.wsfanout.fanout.BroadcastTallies;
import dev.wsfanout.fanout.DeliveryAudit;
import dev.wsfanout.handlers.AuditHandler;
import dev.wsfanout.handlers.ConnectAuthorizerHandler;
import dev.wsfanout.handlers.ConnectHandler;
import dev.wsfanout.handlers.DefaultRouteHandler;
import dev.wsfanout.handlers.DisconnectHandler;
import dev.wsfanout.handlers.PostMessageHandler;
import dev.wsfanout.handlers.QueryHandler;
import dev.wsfanout.handlers.ResumeHandler;
import dev.wsfanout.handlers.SweeperHandler;
import dev.wsfanout.local.dynamo.DynaliteServer;
import dev.wsfanout.local.dynamo.LocalTables;
import dev.wsfanout.local.ProjectHome;
import dev.wsfanout.local.faults.DynamoDbLimits;
import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.faults.FaultProxy;
import dev.wsfanout.local.faults.LimitCounters;
import dev.wsfanout.local.gateway.WebSocketGateway;
import dev.wsfanout.local.lambda.LambdaAccount;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.sfn.LocalStepFunctions;
import dev.wsfanout.local.sfn.StepFunctionsServer;
import dev.wsfanout.local.sfn.TaskResources;
import dev.wsfanout.local.sqs.ElasticMqServer;
import dev.wsfanout.local.sqs.LocalSqsClients;
import dev.wsfanout.local.sqs.ElasticMqShardQueues;
import dev.wsfanout.local.sqs.SqsEventSourceMappingSettings;
import dev.wsfanout.local.sqs.SqsEventSourceMappings;
import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.ConnectAuth;
import dev.wsfanout.model.DefinitionSubstitutions;
import dev.wsfanout.model.DeploymentDefaults;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.ResumeProtocol;
import dev.wsfanout.registry.ConnectionRegistry;
import dev.wsfanout.registry.ConnectionProbe;
import dev.wsfanout.registry.RegistryCensus;
import dev.wsfanout.registry.StaleConnectionSweeper;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * wsfanout on one machine: dynalite, ElasticMQ with the shard queues, the WebSocket gateway with
 * its management API, the SQS event-source mappings, and the real handlers behind them as local
 * Lambda functions, all on loopback. The composition root that the CLI, the demo, the tests and
 * the benchmarks share, so they all run the same wiring.
 */
public final class LocalDeployment implements AutoCloseable {

    public static final String CONNECT = "wsfanout-connect";
    public static final String DISCONNECT = "wsfanout-disconnect";
    public static final String DEFAULT_ROUTE = "wsfanout-default";
    public static final String RESUME = "wsfanout-resume";
    public static final String AUTHORIZER = "wsfanout-authorizer";
    public static final String QUERY = "wsfanout-query";
    public static final String POST_MESSAGE = "wsfanout-postMessage";
    public static final String SWEEPER = "wsfanout-sweeper";
    public static final String AUDIT = "wsfanout-audit";
    public static final String STATE_MACHINE = CellDirectory.CELL_STATE_MACHINE_NAME;
    public static final String DEFINITION_FILE = "statemachine/broadcast.asl.json";
    /** The sweeper's GetConnection calls in flight, as SweeperHandler sets them on AWS. */
    private static final int SWEEP_PROBES_IN_FLIGHT = 32;
    /** Resume environments: a reconnecting fleet resumes as fast as it connects. */
    private static final int RESUME_CONCURRENCY = 32;
    static final String ACCOUNT = "000000000000";

    /*
     * The JDK keeps at most http.maxConnections idle connections per host (5 by default), JVM-wide.
     * On Lambda that is plenty: an environment makes one call at a time. Here every function's
     * environments share one JVM, so the handlers' sync clients (URLConnection) opened a new
     * connection to dynalite for most calls: $connect ran at about 35/s under a reconnecting fleet,
     * registration at 168/s against 390/s with room for an idle connection per environment. Read
     * once, at the first connection, so set before any.
     */
    static {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "512");
        }
    }
    static final String REGION = "us-east-1";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final LocalDeploymentOptions options;
    private final Map<String, LocalFunction> functions = new HashMap<>();
    /** The Lambda concurrency every local function shares, as one account's functions do on AWS. */
    private final LambdaAccount lambdaAccount;
    private DynaliteServer dynalite;
    private ElasticMqServer elasticMq;
    private FaultProxy dynamoFaults;
    private FaultProxy sqsFaults;
    private WebSocketGateway gateway;
    private SqsEventSourceMappings postMessageMappings;
    private ElasticMqShardQueues.Urls queues;
    private FanoutConfig config;
    private DynamoDbClient dynamo;
    /** Past the fault proxy: what checks (the census) read, so a fault cannot make a check lie. */
    private DynamoDbClient directDynamo;
    private AwsClients clients;
    private volatile DynamoDbAsyncClient resumeDynamo;
    private volatile ApiGatewayManagementApiAsyncClient resumeApi;
    private LocalStepFunctions stepFunctions;
    private StepFunctionsServer stepFunctionsServer;
    private String stateMachineArn;
    private ConnectionProbe probe;
    /** wsfanout's connect tokens, when $connect has the authorizer. */
    private final SharedSecretTokens connectTokens;

    private LocalDeployment(LocalDeploymentOptions options) {
        this.options = options;
        this.connectTokens = options.connectTokenSecret() == null ? null
                : new SharedSecretTokens(options.connectTokenSecret().getBytes(StandardCharsets.UTF_8), ConnectAuth.DEFAULT_AUDIENCE);
        this.lambdaAccount = options.lambdaAccountConcurrency() > 0
                ? new LambdaAccount(options.lambdaAccountConcurrency()) : LambdaAccount.unlimited();
    }

    public static LocalDeployment start(LocalDeploymentOptions options) {
        LocalDeployment stack = new LocalDeployment(options);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        dynalite = own(DynaliteServer.start());
        elasticMq = own(ElasticMqServer.start());
        if (options.faultProxy() || options.dynamoLimits()) {
            // Every SDK client of the handlers and the state machine goes through the proxies; they
            // inject nothing until the stack is set up (see the end of this method). DynamoDB's own
            // limits (per-key throughput, item and batch sizes) hold from the first call.
            dynamoFaults = own(FaultProxy.start(dynalite.endpoint(), FaultPlan.none(),
                    options.dynamoLimits() ? DynamoDbLimits.aws() : DynamoDbLimits.off()));
        }
        if (options.faultProxy()) {
            sqsFaults = own(FaultProxy.start(elasticMq.endpoint(), FaultPlan.none()));
        }

        FanoutConfig base = FanoutConfig.fromEnv(withEndpoints(options.env()));
        SqsClient sqsSync = own(LocalSqsClients.sync(elasticMq.endpoint()));
        queues = ElasticMqShardQueues.defaults()
                .withCount(base.shardCount())
                .withMaxReceiveCount(options.maxReceiveCount())
                .withVisibilityTimeout(DeploymentDefaults.visibilityTimeout(options.postMessageTimeout()))
                .create(sqsSync);

        // The management endpoint is known only once the gateway listens, and the gateway needs
        // its lifecycle routes before it listens: the config is built in two steps.
        Map<String, String> env = new HashMap<>(withEndpoints(options.env()));
        env.put(FanoutConfig.SHARD_QUEUE_URLS, String.join(",", queues.queues()));
        env.putIfAbsent(FanoutConfig.POST_RATE, Integer.toString(postRateShare(base.shardCount())));
        config = FanoutConfig.fromEnv(env);
        clients = new AwsClients(config, Map.of());
        dynamo = own(clients.dynamoDb());
        directDynamo = dynamoFaults == null ? dynamo : own(new AwsClients(FanoutConfig.fromEnv(Map.of(
                FanoutConfig.DYNAMODB_ENDPOINT, dynalite.endpoint().toString())), Map.of()).dynamoDb());
        LocalTables.createAll(dynamo, config);

        ConnectionRegistry registry = new ConnectionRegistry(dynamo, config, Clock.systemUTC());
        Duration routeTimeout = Duration.ofSeconds(10);
        function(LocalFunction.of(CONNECT, new ConnectHandler(registry), APIGatewayV2WebSocketEvent.class, 64, options.connectTimeout()));
        function(LocalFunction.of(DISCONNECT, new DisconnectHandler(registry), APIGatewayV2WebSocketEvent.class, 64, routeTimeout));
        function(LocalFunction.of(DEFAULT_ROUTE, new DefaultRouteHandler(), APIGatewayV2WebSocketEvent.class, 16, routeTimeout));
        // Its clients need the management endpoint, known once the gateway listens: each environment
        // is made at its first invocation, and the clients are set right after the gateway starts.
        function(LocalFunction.of(RESUME, () -> new ResumeHandler(config, dynamo, resumeDynamo, resumeApi, line -> { }),
                APIGatewayV2WebSocketEvent.class, RESUME_CONCURRENCY, routeTimeout));
        WebSocketGateway.Builder gatewayBuilder = WebSocketGateway.builder();
        if (connectTokens != null) {
            TokenVerifier verifier = new TokenVerifier(connectTokens, Optional.empty(), null, Clock.systemUTC());
            function(LocalFunction.of(AUTHORIZER, new ConnectAuthorizerHandler(new ConnectAuthorizer(verifier)),
                    APIGatewayCustomAuthorizerEvent.class, 64, routeTimeout));
            gatewayBuilder.connectAuthorizer(functions.get(AUTHORIZER), ConnectAuth.IDENTITY_SOURCE);
        }
        if (!options.allowedOrigins().isEmpty()) {
            gatewayBuilder.allowedOrigins(options.allowedOrigins());
        }
        gateway = own(gatewayBuilder
                .stage("local")
                .connectRoute(functions.get(CONNECT))
                .disconnectRoute(functions.get(DISCONNECT))
                .defaultRoute(functions.get(DEFAULT_ROUTE))
                .rateLimit(options.gatewayRatePerSecond(), options.gatewayBurst())
                .connectRateLimit(options.connectRatePerSecond(), options.connectBurst())
                .faults(options.faults())
                .virtualDeliveries(options.virtualDeliveries())
                .droppedDisconnects(options.droppedDisconnects(), 1)
                .route(ResumeProtocol.ROUTE, functions.get(RESUME))
                .idleTimeout(options.connectionIdleTimeout())
                .maxDuration(options.connectionMaxDuration())
                .webSocketPort(options.webSocketPort())
                .managementPort(options.managementPort())
                .build());
        gateway.start();

        env.put(FanoutConfig.MANAGEMENT_ENDPOINT, gateway.managementEndpoint().toString());
        config = FanoutConfig.fromEnv(env);
        clients = new AwsClients(config, Map.of());
        resumeDynamo = own(clients.dynamoDbAsync());
        // One client for every environment (on Lambda each has its own): room for all of their posts.
        resumeApi = own(clients.managementApi(ResumeHandler.POSTS_IN_FLIGHT * RESUME_CONCURRENCY));
        function(LocalFunction.ofStream(QUERY, options.queryHandlerDecorator().apply(new QueryHandler(new BatchQuery(
                own(clients.dynamoDbAsync()), own(clients.sqsAsync()), config, Clock.systemUTC()))),
                options.queryConcurrency(), Duration.ofMinutes(5)));
        function(LocalFunction.ofStream(AUDIT, new AuditHandler(new DeliveryAudit(dynamo, config.deliveriesTable(), tallies())),
                4, Duration.ofMinutes(1)));
        // One handler per execution environment, as on Lambda: each has its own rate governor.
        var managementApi = options.managementApiDecorator().apply(own(clients.managementApi(config.postConcurrency())));
        var sqsForRetries = own(clients.sqsAsync());
        probe = new ConnectionProbe(own(clients.managementApi(SWEEP_PROBES_IN_FLIGHT)), config.sweepProbeRate(), SWEEP_PROBES_IN_FLIGHT);
        function(LocalFunction.of(SWEEPER, new SweeperHandler(sweeper(StaleConnectionSweeper.DEFAULT_SETTLE), Clock.systemUTC()),
                ScheduledEvent.class, 1, Duration.ofMinutes(15)));
        function(LocalFunction.of(POST_MESSAGE,
                () -> new PostMessageHandler(config, managementApi, dynamo, sqsForRetries, line -> { }, options.deliveryCheckpoints()),
                SQSEvent.class, options.postMessageConcurrency() * config.shardCount(), options.postMessageTimeout()));

        postMessageMappings = own(SqsEventSourceMappings.forQueues(own(LocalSqsClients.async(elasticMq.endpoint())),
                queues.queues(), functions.get(POST_MESSAGE), SqsEventSourceMappingSettings.builder()
                        .batchSize(DeploymentDefaults.SQS_BATCH_SIZE)
                        .maxConcurrency(options.postMessageConcurrency())
                        .reportBatchItemFailures(true)
                        .build()).start());

        stepFunctions = own(new LocalStepFunctions(TaskResources.builder()
                .function(functions.get(QUERY))
                .function(functions.get(AUDIT))
                .dynamoDb(dynamo)
                .region(REGION)
                .accountId(ACCOUNT)
                .build()));
        stepFunctionsServer = own(new StepFunctionsServer(stepFunctions, options.stepFunctionsPort()).start());
        stateMachineArn = stepFunctions.createStateMachine(STATE_MACHINE, broadcastDefinition(),
                "arn:aws:iam::" + ACCOUNT + ":role/wsfanout-local", "STANDARD").stateMachineArn();
        if (options.faultProxy()) {
            awsFaults(options.awsFaults());
        }
    }

    /** Replaces what the fault proxies inject from now on (into both DynamoDB and SQS calls). */
    public void awsFaults(FaultPlan plan) {
        requireFaultProxy();
        dynamoFaults.plan(plan);
        sqsFaults.plan(plan);
    }

    /** What the fault proxies saw and injected: DynamoDB's, then SQS's. */
    public List<FaultCounters> awsFaultCounters() {
        requireFaultProxy();
        return List.of(dynamoFaults.counters(), sqsFaults.counters());
    }

    /** What DynamoDB's limits refused (zeros when the stack runs without them). */
    public LimitCounters dynamoLimitCounters() {
        return dynamoFaults == null ? LimitCounters.none() : dynamoFaults.limitCounters();
    }

    private void requireFaultProxy() {
        if (sqsFaults == null) {
            throw new IllegalStateException("this local stack runs without the fault proxy: start it with "
                    + "LocalDeploymentOptions.builder().faultProxy(true) (or awsFaults(plan)) to inject AWS faults");
        }
    }

    /** The same file CDK deploys, with the same substitution names filled for this stack. */
    private String broadcastDefinition() {
        return definition(DEFINITION_FILE, substitutions(config, options).toMap());
    }

    /** A definition file of the project (as CDK deploys it) with its substitutions filled. */
    static String definition(String projectFile, Map<String, String> substitutions) {
        Path file = ProjectHome.locate().resolve(projectFile);
        String definition;
        try {
            definition = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state machine definition " + file, e);
        }
        return DefinitionSubstitutions.apply(definition, substitutions);
    }

    /** This stack's value for each of the definition's substitution names. */
    static DefinitionSubstitutions.Values substitutions(FanoutConfig config, LocalDeploymentOptions options) {
        return new DefinitionSubstitutions.Values(functionArn(QUERY), functionArn(AUDIT), config.broadcastsTable(),
                config.historyTable(), config.partitionCount(), options.mapMaxConcurrency(),
                DeploymentDefaults.TOLERATED_FAILURE_PERCENTAGE,
                options.deliveryDeadline().toSeconds(), Math.max(1, options.pollInterval().toSeconds()));
    }

    static String functionArn(String name) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
    }

    /**
     * Each postMessage invocation's share of the gateway's rate limit. On AWS the fleet gets 90%
     * of the account quota (FanoutConfig.DEFAULT_POST_RATE), because connects and every other
     * API of the account draw on the same bucket; the emulator's bucket counts only @connections
     * calls, so here the whole limit is the fleet's.
     */
    private int postRateShare(int shards) {
        double invocations = (double) shards * options.postMessageConcurrency();
        return (int) Math.max(1, Math.floor(options.gatewayRatePerSecond() / invocations));
    }

    private Map<String, String> withEndpoints(Map<String, String> userEnv) {
        Map<String, String> env = new HashMap<>(userEnv);
        env.put(FanoutConfig.DYNAMODB_ENDPOINT, (dynamoFaults == null ? dynalite.endpoint() : dynamoFaults.endpoint()).toString());
        env.put(FanoutConfig.SQS_ENDPOINT, (sqsFaults == null ? elasticMq.endpoint() : sqsFaults.endpoint()).toString());
        return env;
    }

    private void function(LocalFunction function) {
        functions.put(function.name(), own(function.inAccount(lambdaAccount)));
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    /** The sweeper as the scheduled function runs it (through the fault proxy, if there is one), with this settle pause. */
    public StaleConnectionSweeper sweeper(Duration settle) {
        return new StaleConnectionSweeper(dynamo, config, Clock.systemUTC(), probe, settle);
    }

    /**
     * The registry against the gateway: rows, count drift, and which rows have no open connection
     * and which open connections have no row. Reads the tables directly, past any fault proxy.
     */
    public LocalCensus census() {
        return LocalCensus.take(new RegistryCensus(directDynamo, config), gateway::openConnectionIds);
    }

    public FanoutConfig config() {
        return config;
    }

    /** What signs tokens the stack's $connect authorizer accepts; empty when $connect is open. */
    public Optional<SharedSecretTokens> connectTokens() {
        return Optional.ofNullable(connectTokens);
    }

    public LocalDeploymentOptions options() {
        return options;
    }

    public WebSocketGateway gateway() {
        return gateway;
    }

    /** The Lambda account concurrency the local functions share (in use, peak, throttles). */
    public LambdaAccount lambdaAccount() {
        return lambdaAccount;
    }

    public LocalFunction function(String name) {
        LocalFunction f = functions.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no local function " + name + "; known: " + functions.keySet());
        }
        return f;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public AwsClients clients() {
        return clients;
    }

    public java.net.URI dynamoEndpoint() {
        return dynalite.endpoint();
    }

    public java.net.URI sqsEndpoint() {
        return elasticMq.endpoint();
    }

    /** The Step Functions endpoint for {@code SfnClient.endpointOverride} and {@code aws --endpoint-url}. */
    public java.net.URI stepFunctionsEndpoint() {
        return stepFunctionsServer.endpoint();
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    public LocalStepFunctions stepFunctions() {
        return stepFunctions;
    }

    public ElasticMqShardQueues.Urls queues() {
        return queues;
    }

    public SqsEventSourceMappings postMessageMappings() {
        return postMessageMappings;
    }

    public BroadcastTallies tallies() {
        return new BroadcastTallies(dynamo, config.broadcastsTable(), config.deliveriesTable(), Clock.systemUTC());
    }

    /** Stops everything in the reverse order it started; never throws. */
    @Override
    public void close() {
        if (dynamoFaults != null) {
            LimitCounters limits = dynamoFaults.limitCounters();
            if (limits.throttled() + limits.count(LimitCounters.Refusal.ITEM_TOO_LARGE) + limits.count(LimitCounters.Refusal.BATCH_TOO_LARGE) > 0) {
                System.err.println("local stack: DynamoDB limits: " + limits.summary());
            }
        }
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("local stack: closing " + resource.getClass().getSimpleName() + ": " + e);
            }
        }
    }
}
