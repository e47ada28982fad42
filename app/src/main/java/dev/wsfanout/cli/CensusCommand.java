package dev.wsfanout.cli;

import dev.wsfanout.model.Connection;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.registry.ConnectionProbe;
import dev.wsfanout.registry.ConnectionRegistry;
import dev.wsfanout.registry.RegistryCensus;
import dev.wsfanout.stack.LocalCensus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code wsfanout census}: counts the connection registry without changing it. Locally it also
 * holds the rows against the connections the gateway has open (the emulator-only
 * {@code GET @local/connections}); on AWS, where API Gateway cannot list connections, only
 * GetConnection per row can tell ({@code --probe}, or the sweeper, which removes what it finds).
 */
@Command(name = "census", sortOptions = false, description = "Count the connection registry and change nothing: rows, "
        + "the partitions whose recorded count drifts from their rows, and, on the local stack, rows without an open "
        + "connection and open connections without a row.")
public final class CensusCommand implements Callable<Integer> {

    static final String CONNECTIONS_OUTPUT = "ConnectionsTable";
    static final String PARTITIONS_OUTPUT = "PartitionsTable";
    static final String PARTITION_COUNT_OUTPUT = "PartitionCount";
    static final String MANAGEMENT_OUTPUT = "ManagementEndpoint";
    /** GetConnection calls in flight at once with --probe (the sweeper's figure). */
    private static final int PROBES_IN_FLIGHT = 32;

    private final CliContext context;
    private final Clock clock;

    @Spec
    CommandSpec spec;

    @Option(names = "--aws", description = "Count the registry deployed on AWS instead of the local stack's.")
    boolean aws;

    @Option(names = "--region", paramLabel = "REGION", description = "With --aws: the Region (default: AWS_REGION, then the AWS config).")
    String region;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "With --aws: the credentials profile (default: AWS_PROFILE, then the default chain).")
    String profile;

    @Option(names = "--connections-table", paramLabel = "NAME", description = "With --aws: the connections table "
            + "(default: the " + CONNECTIONS_OUTPUT + " output in " + TargetOptions.CDK_OUTPUTS + ").")
    String connectionsTable;

    @Option(names = "--partitions-table", paramLabel = "NAME", description = "With --aws: the partitions table "
            + "(default: the " + PARTITIONS_OUTPUT + " output in " + TargetOptions.CDK_OUTPUTS + ").")
    String partitionsTable;

    @Option(names = "--partitions", paramLabel = "N", description = "With --aws: PARTITION_COUNT "
            + "(default: the " + PARTITION_COUNT_OUTPUT + " output in " + TargetOptions.CDK_OUTPUTS + ").")
    Integer partitions;

    @Option(names = "--probe", description = "With --aws: ask API Gateway (GetConnection) about every row older than "
            + "10 s and count those it answers 410 for. Takes rows / --probe-rate seconds and shares the account's "
            + "API rate with broadcasts; removes nothing.")
    boolean probe;

    @Option(names = "--probe-rate", paramLabel = "N", description = "With --probe: GetConnection calls per second. "
            + "Default: ${DEFAULT-VALUE} (the sweeper's SWEEP_PROBE_RATE).")
    int probeRate = FanoutConfig.DEFAULT_SWEEP_PROBE_RATE;

    @Option(names = "--management-endpoint", paramLabel = "URL", description = "With --probe: the @connections endpoint "
            + "(default: the " + MANAGEMENT_OUTPUT + " output in " + TargetOptions.CDK_OUTPUTS + ").")
    String managementEndpoint;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public CensusCommand(CliContext context) {
        this(context, Clock.systemUTC());
    }

    CensusCommand(CliContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (!aws && (probe || connectionsTable != null || partitionsTable != null || partitions != null
                || managementEndpoint != null)) {
            throw new CliException(CliException.REFUSED, "--probe, --connections-table, --partitions-table, --partitions "
                    + "and --management-endpoint are for --aws; locally the census reads the running stack");
        }
        if (probeRate < 1 || probeRate > 10_000) {
            throw new CliException(CliException.REFUSED, "--probe-rate " + probeRate + " is out of range; allowed: 1..10000");
        }
        String text = aws ? awsCensus() : localCensus();
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return 0;
    }

    private String localCensus() {
        RunningStack stack = new LocalDeploymentFile(context.stateFile()).read().orElseThrow(() -> new CliException(CliException.FAILED,
                "no local stack is running: start one with `./wsfanout local` (or use --aws)"));
        if (stack.partitionsTable() == null || stack.partitionCount() == null) {
            throw new CliException(CliException.FAILED, "the local stack in " + context.stateFile() + " was started by an "
                    + "older wsfanout that does not announce its partitions: restart `./wsfanout local`");
        }
        FanoutConfig config = registryConfig(stack.connectionsTable(), stack.partitionsTable(), stack.partitionCount());
        LocalOpenConnections open = new LocalOpenConnections(URI.create(stack.managementEndpoint()));
        Instant at = clock.instant();
        try (DynamoDbClient dynamo = BroadcastTarget.localDynamo(URI.create(stack.dynamoDbEndpoint()))) {
            LocalCensus census = LocalCensus.take(new RegistryCensus(dynamo, config), open::ids);
            return CensusText.local(census, config.partitionCount(), at);
        }
    }

    private String awsCensus() {
        Map<String, String> env = context.env();
        Region resolvedRegion = TargetOptions.resolveRegion(region, env);
        AwsCredentialsProvider credentials = TargetOptions.resolvedCredentials(profile, env);
        String connections = orOutput(connectionsTable, CONNECTIONS_OUTPUT, "--connections-table");
        String partitionsName = orOutput(partitionsTable, PARTITIONS_OUTPUT, "--partitions-table");
        int partitionCount = partitions != null ? partitions : parseCount(orOutput(null, PARTITION_COUNT_OUTPUT, "--partitions"));
        FanoutConfig config = registryConfig(connections, partitionsName, partitionCount);
        URI endpoint = probe ? URI.create(orOutput(managementEndpoint, MANAGEMENT_OUTPUT, "--management-endpoint")) : null;
        Instant at = clock.instant();
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(resolvedRegion)
                .credentialsProvider(credentials)
                .build()) {
            RegistryCensus census = new RegistryCensus(dynamo, config);
            if (!probe) {
                return CensusText.aws(census.take(), config.partitionCount(), resolvedRegion.id(), at, null);
            }
            List<Connection> rows = new ArrayList<>();
            RegistryCensus.Report report = census.take(rows::add);
            CensusText.Probed probed = probeAll(rows, endpoint, resolvedRegion, credentials);
            return CensusText.aws(report, config.partitionCount(), resolvedRegion.id(), at, probed);
        }
    }

    /**
     * GetConnection for every row older than the grace (a younger one may be a $connect still
     * running, which API Gateway answers 410 for); progress on stderr, as it can take minutes.
     */
    private CensusText.Probed probeAll(List<Connection> rows, URI endpoint, Region resolvedRegion,
                                       AwsCredentialsProvider credentials) {
        long youngAfter = clock.millis() - ConnectionRegistry.CONNECTING_GRACE.toMillis();
        AtomicLong gone = new AtomicLong();
        AtomicLong unknown = new AtomicLong();
        long asked = 0;
        ProgressLine progress = ProgressLine.forTerminal(spec.commandLine().getErr());
        try (ApiGatewayManagementApiAsyncClient api = ApiGatewayManagementApiAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(PROBES_IN_FLIGHT))
                .region(resolvedRegion)
                .credentialsProvider(credentials)
                .endpointOverride(endpoint)
                .build()) {
            ConnectionProbe connectionProbe = new ConnectionProbe(api, probeRate, PROBES_IN_FLIGHT);
            for (Connection row : rows) {
                if (row.connectedAtMillis() >= youngAfter) {
                    continue;
                }
                asked++;
                connectionProbe.probe(row.connectionId(), liveness -> {
                    if (liveness == ConnectionProbe.Liveness.GONE) {
                        gone.incrementAndGet();
                    } else if (liveness == ConnectionProbe.Liveness.UNKNOWN) {
                        unknown.incrementAndGet();
                    }
                });
                if (asked % 1000 == 0) {
                    progress.show(String.format("probed %,d of %,d rows, %,d gone", asked, rows.size(), gone.get()));
                }
            }
            connectionProbe.awaitIdle();
        }
        progress.done();
        return new CensusText.Probed(asked, rows.size() - asked, gone.get(), unknown.get());
    }

    private static FanoutConfig registryConfig(String connections, String partitionsName, int partitionCount) {
        try {
            return FanoutConfig.fromEnv(Map.of(FanoutConfig.CONNECTIONS_TABLE, connections,
                    FanoutConfig.PARTITIONS_TABLE, partitionsName,
                    FanoutConfig.PARTITION_COUNT, Integer.toString(partitionCount)));
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.REFUSED, e.getMessage(), e);
        }
    }

    private static String orOutput(String flag, String output, String flagName) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        return TargetOptions.cdkOutput(output, flagName).orElseThrow(() -> new CliException(CliException.FAILED,
                "no " + output + " for --aws: pass " + flagName + ", or deploy with `cdk deploy --outputs-file "
                        + "cdk-outputs.json` so that " + TargetOptions.CDK_OUTPUTS + " has it"));
    }

    private static int parseCount(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CliException(CliException.FAILED, "the " + PARTITION_COUNT_OUTPUT + " output in "
                    + TargetOptions.CDK_OUTPUTS + " is '" + value + "', not a number: pass --partitions", e);
        }
    }
}
