package dev.wsfanout.plan;

import dev.wsfanout.model.JsonCodec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wsfanout plan}: predicts how long a broadcast takes on AWS, what holds it back, and what to
 * raise first, for wsfanout and for the seed design. Every option is a parameter of
 * {@link SimulationParameters}; docs/capacity-model.md explains each and where its default comes from.
 */
@Command(name = "plan", sortOptions = false,
        description = {
                "Simulates one broadcast through the deployed pipeline on AWS (a discrete-event model) and prints "
                        + "the predicted completion time, the bottleneck, deliveries per second over time and what to "
                        + "raise first, for wsfanout and for the seed design.",
                "[AWS] marks a documented AWS quota or behaviour, [wsfanout] a setting of the deployment, "
                        + "[assumption] a latency or behaviour to calibrate by measurement (see docs/capacity-model.md)."})
public final class PlanCommand implements Callable<Integer> {

    private static final SimulationParameters DEFAULTS = SimulationParameters.defaults(600_000);

    /** New accounts start with reduced Lambda concurrency (Lambda quotas); 10 is what they report, not a documented figure. */
    static final int NEW_ACCOUNT_LAMBDA_CONCURRENCY = 10;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--connections", description = "Connected clients to broadcast to. Default: ${DEFAULT-VALUE}.")
    int connections = DEFAULTS.connections();

    @Option(names = "--design", description = "wsfanout, seed or both. Default: ${DEFAULT-VALUE}.")
    String design = "both";

    @Option(names = "--json", description = "Print the plans as JSON instead of text.")
    boolean json;

    @Option(names = "--matrix", description = "Print the comparison table instead: both designs (or --design), "
            + "300,000 and 600,000 connections, 10,000, 50,000 and 100,000 RPS (burst half the RPS).")
    boolean matrix;

    @Option(names = "--cells", split = ",", description = "[wsfanout] cells (issue 15): the connections divided evenly over this "
            + "many deployments, each in its own account and Region with the quotas given here; a comma-separated list "
            + "prints one row per count (e.g. 1,3,10). Default: ${DEFAULT-VALUE}.")
    List<Integer> cells = List.of(1);

    @Option(names = "--cell-start-ms", description = "[assumption] the home Region's state machine starting every cell's "
            + "broadcast (StartExecution across accounts), ms. Default: ${DEFAULT-VALUE}.")
    double cellStartMs = 500;

    @Option(names = "--raise-steps", description = "Steps of the 'what to raise first' sequence. Default: ${DEFAULT-VALUE}.")
    int raiseSteps = 3;

    // AWS quotas and behaviour
    @Option(names = "--rps", description = "[AWS] API Gateway account throttle, requests/s per Region, shared by every API "
            + "of the account and the @connections calls (API Gateway quotas; adjustable, quota L-8A5B8E43). Default: ${DEFAULT-VALUE}.")
    double rps = DEFAULTS.rps();

    @Option(names = "--burst", description = "[AWS] API Gateway account burst, the bucket size (API Gateway quotas). Default: ${DEFAULT-VALUE}.")
    int burst = DEFAULTS.burst();

    @Option(names = "--lambda-concurrency", description = "[AWS] Lambda concurrent executions per Region (Lambda quotas; adjustable). Default: ${DEFAULT-VALUE}.")
    int lambdaConcurrency = DEFAULTS.lambdaConcurrency();

    @Option(names = "--lambda-scale-per-10s", description = "[AWS] new execution environments a function may add every 10 s (Lambda scaling behaviour). Default: ${DEFAULT-VALUE}.")
    int lambdaScalePer10s = DEFAULTS.lambdaScalePer10s();

    @Option(names = "--esm-initial-concurrency", description = "[AWS] concurrent batches an SQS event source mapping starts with (Lambda guide, SQS scaling). Default: ${DEFAULT-VALUE}.")
    int esmInitialConcurrency = DEFAULTS.esmInitialConcurrency();

    @Option(names = "--esm-scale-up-per-minute", description = "[AWS] concurrent batches a mapping adds per minute while messages remain (same page). Default: ${DEFAULT-VALUE}.")
    int esmScaleUpPerMinute = DEFAULTS.esmScaleUpPerMinute();

    @Option(names = "--esm-max-concurrency", description = "[AWS] most concurrent batches of one mapping (same page). Default: ${DEFAULT-VALUE}.")
    int esmMaxConcurrency = DEFAULTS.esmMaxConcurrency();

    // wsfanout settings
    @Option(names = "--partitions", description = "[wsfanout] PARTITION_COUNT. Default: ${DEFAULT-VALUE}.")
    int partitions = DEFAULTS.partitions();

    @Option(names = "--shards", description = "[wsfanout] SHARD_COUNT, delivery queues (the seed used 10 too). Default: ${DEFAULT-VALUE}.")
    int shards = DEFAULTS.shards();

    @Option(names = "--chunk-size", description = "[wsfanout] CHUNK_SIZE, connection ids per delivery message. Default: ${DEFAULT-VALUE}.")
    int chunkSize = DEFAULTS.chunkSize();

    @Option(names = "--map-concurrency", description = "[wsfanout] MapMaxConcurrency, Distributed Map children at once (AWS: up to 10,000). Default: ${DEFAULT-VALUE}.")
    int mapConcurrency = DEFAULTS.mapConcurrency();

    @Option(names = "--map-batch-size", description = "[wsfanout] partitions per Map child (ItemBatcher MaxItemsPerBatch). Default: ${DEFAULT-VALUE}.")
    int mapBatchSize = DEFAULTS.mapBatchSize();

    @Option(names = "--mapping-max-concurrency", description = "[wsfanout] ScalingConfig.MaximumConcurrency of each shard's mapping (AWS: 2..1,000); the seed sets none. Default: ${DEFAULT-VALUE}.")
    int mappingMaxConcurrency = DEFAULTS.mappingMaxConcurrency();

    @Option(names = "--esm-batch-size", description = "[wsfanout] messages per postMessage batch, both designs (10 is the most without a batching window). Default: ${DEFAULT-VALUE}.")
    int esmBatchSize = DEFAULTS.esmBatchSize();

    @Option(names = "--post-concurrency", description = "[wsfanout] POST_CONCURRENCY, posts in flight per postMessage invocation. Default: ${DEFAULT-VALUE}.")
    int postConcurrency = DEFAULTS.postConcurrency();

    @Option(names = "--post-rate", description = "[wsfanout] POST_RATE, posts/s one postMessage invocation may start before its rate governor backs off. Default: ${DEFAULT-VALUE}.")
    double postRate = DEFAULTS.postRate();

    @Option(names = "--max-delivery-attempts", description = "[wsfanout] MAX_DELIVERY_ATTEMPTS, chunk attempts before throttled ids count as failed. Default: ${DEFAULT-VALUE}.")
    int maxDeliveryAttempts = DEFAULTS.maxDeliveryAttempts();

    @Option(names = "--poll-interval", description = "[wsfanout] PollIntervalSeconds, the state machine's completion poll. Default: ${DEFAULT-VALUE}.")
    double pollIntervalSeconds = DEFAULTS.pollIntervalSeconds();

    @Option(names = "--query-send-concurrency", description = "[wsfanout] SendMessageBatch calls in flight per query invocation (the query handler's 20; the seed assumed alike). Default: ${DEFAULT-VALUE}.")
    int querySendConcurrency = DEFAULTS.querySendConcurrency();

    @Option(names = "--visibility-timeout", description = "[seed] delivery queues' visibility timeout, s, after which a failed batch comes back (SQS default). Default: ${DEFAULT-VALUE}.")
    double visibilityTimeoutSeconds = DEFAULTS.visibilityTimeoutSeconds();

    @Option(names = "--seed-sdk-attempts", description = "[assumption] attempts per post in the seed's Node.js postMessage (AWS SDK for JavaScript v2: maxRetries 3). Default: ${DEFAULT-VALUE}.")
    int seedSdkAttempts = DEFAULTS.seedSdkAttempts();

    @Option(names = "--seed-sdk-backoff-ms", description = "[assumption] base of that SDK's exponential backoff with full jitter, ms. Default: ${DEFAULT-VALUE}.")
    double seedSdkBackoffMs = DEFAULTS.seedSdkBackoffMs();

    @Option(names = "--index-item-bytes", description = "[assumption] bytes of one KEYS_ONLY index item, for the 1 MB Query page limit. Default: ${DEFAULT-VALUE}.")
    int indexItemBytes = DEFAULTS.indexItemBytes();

    @Option(names = "--message-bytes", description = "[input] bytes of one delivery as posted (the PostToConnection Data, "
            + "envelope included; API Gateway allows 131,072): sets the chunk size, the SQS bytes, the frames and the "
            + "DynamoDB units of the broadcast-record reads. Default: ${DEFAULT-VALUE}.")
    int messageBytes = DEFAULTS.messageBytes();

    @Option(names = "--sqs-max-message-bytes", description = "[wsfanout] SQS_MAX_MESSAGE_BYTES, the shard queues' "
            + "maximum message size and a SendMessageBatch's bytes (SQS allows up to 1 MiB). Default: ${DEFAULT-VALUE}.")
    int sqsMaxMessageBytes = DEFAULTS.sqsMaxMessageBytes();

    @Option(names = "--snapstart", negatable = true, description = "[wsfanout] the functions restore from a SnapStart "
            + "snapshot (as the CDK app deploys them); --no-snapstart for a Region without SnapStart. Default: ${DEFAULT-VALUE}.")
    boolean snapStart = DEFAULTS.snapStart();

    @Option(names = "--esm-provisioned-pollers", description = "[AWS] SQS event source provisioned mode: minimum event "
            + "pollers per shard mapping (0 = off, the default mode). A poller runs up to 10 invokes; provisioned mode "
            + "scales 3 times faster and cannot be combined with MaximumConcurrency (Lambda guide, SQS scaling). "
            + "Default: ${DEFAULT-VALUE}.")
    int esmProvisionedPollers = DEFAULTS.esmProvisionedPollers();

    @Option(names = "--new-account", description = "[AWS] a new account's reduced quotas: Lambda concurrency 10 "
            + "(AWS documents only 'reduced'; 10 is the figure new accounts report) unless --lambda-concurrency is lower. Default: false.")
    boolean newAccount;

    // assumptions: latencies
    @Option(names = "--cold-start-ms", description = "[assumption] cold start of a new execution environment without SnapStart (--no-snapstart), ms. Default: ${DEFAULT-VALUE}.")
    double coldStartMs = DEFAULTS.coldStartMs();

    @Option(names = "--snapstart-restore-ms", description = "[assumption] a SnapStart restore instead of a cold start, ms (REPORT line's Restore Duration). Default: ${DEFAULT-VALUE}.")
    double snapStartRestoreMs = DEFAULTS.snapStartRestoreMs();

    @Option(names = "--post-frame-ms", description = "[assumption] what each 32 KB frame after the first adds to a post's round trip, ms. Default: ${DEFAULT-VALUE}.")
    double postFrameMs = DEFAULTS.postFrameMs();

    @Option(names = "--lambda-egress-mbps", description = "[assumption] network egress of one postMessage invocation, Mbit/s (no documented figure): caps posts/s per invocation at egress / message size. Default: ${DEFAULT-VALUE}.")
    double lambdaEgressMbps = DEFAULTS.lambdaEgressMbps();

    @Option(names = "--sfn-overhead-ms", description = "[assumption] StartExecution until the Map starts children, ms. Default: ${DEFAULT-VALUE}.")
    double sfnOverheadMs = DEFAULTS.sfnOverheadMs();

    @Option(names = "--map-start-rate", description = "[assumption] Map children started per second. Default: ${DEFAULT-VALUE}.")
    double mapStartRate = DEFAULTS.mapStartRate();

    @Option(names = "--child-start-ms", description = "[assumption] EXPRESS child start until its Lambda invoke, ms. Default: ${DEFAULT-VALUE}.")
    double childStartMs = DEFAULTS.childStartMs();

    @Option(names = "--dynamo-latency-ms", description = "[assumption] one DynamoDB request (Query page, marker write), ms. Default: ${DEFAULT-VALUE}.")
    double dynamoLatencyMs = DEFAULTS.dynamoLatencyMs();

    @Option(names = "--sqs-send-latency-ms", description = "[assumption] one SendMessageBatch call, ms. Default: ${DEFAULT-VALUE}.")
    double sqsSendLatencyMs = DEFAULTS.sqsSendLatencyMs();

    @Option(names = "--sqs-receive-latency-ms", description = "[assumption] a poller's receive until the invocation starts, ms. Default: ${DEFAULT-VALUE}.")
    double sqsReceiveLatencyMs = DEFAULTS.sqsReceiveLatencyMs();

    @Option(names = "--post-latency-ms", description = "[assumption] one PostToConnection round trip (or its 429), ms. Default: ${DEFAULT-VALUE}.")
    double postLatencyMs = DEFAULTS.postLatencyMs();

    @Option(names = "--throttle-retry-ms", description = "[assumption] wait before a throttled Lambda invocation is retried, ms. Default: ${DEFAULT-VALUE}.")
    double throttleRetryMs = DEFAULTS.throttleRetryMs();

    @Option(names = "--jitter", description = "[assumption] each latency is drawn uniformly within +/- this fraction of its mean. Default: ${DEFAULT-VALUE}.")
    double jitter = DEFAULTS.jitter();

    // simulation
    @Option(names = "--seed", description = "Random seed; the same parameters and seed give the same result. Default: ${DEFAULT-VALUE}.")
    long seed = DEFAULTS.seed();

    @Option(names = "--max-seconds", description = "Simulated time after which a broadcast counts as not finished. Default: ${DEFAULT-VALUE}.")
    double maxSeconds = DEFAULTS.maxSeconds();

    public static void main(String[] args) {
        System.exit(new CommandLine(new PlanCommand()).execute(args));
    }

    @Override
    public Integer call() {
        SimulationParameters parameters = parameters();
        if (raiseSteps < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--raise-steps must be 0 or more, got " + raiseSteps);
        }
        List<Design> designs = designs();
        PrintWriter out = spec.commandLine().getOut();
        if (!cells.equals(List.of(1))) {
            printCells(parameters, out);
        } else if (matrix) {
            out.print(new ScenarioMatrix(raiseSteps).render(parameters, designs));
        } else {
            List<DesignPlan> plans = designs.stream()
                    .map(d -> DesignPlan.of(parameters, d, raiseSteps))
                    .toList();
            if (json) {
                out.println(JsonCodec.write(plans));
            } else {
                out.print(String.join("\n", plans.stream().map(p -> PlanReport.render(parameters, p)).toList()));
            }
        }
        out.flush();
        return 0;
    }

    private void printCells(SimulationParameters parameters, PrintWriter out) {
        if (matrix) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cells and --matrix do not combine: run --cells per connection count");
        }
        List<CellPlan> plans;
        try {
            plans = cells.stream().map(n -> CellPlan.of(parameters, n, cellStartMs, raiseSteps)).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (json) {
            out.println(JsonCodec.write(plans));
        } else if (plans.size() == 1) {
            out.print(plans.get(0).summary());
            out.print("one cell's broadcast:\n" + PlanReport.render(parameters.toBuilder()
                    .connections(plans.get(0).connectionsPerCell()).build(), plans.get(0).cell()));
        } else {
            out.print(CellTable.render(parameters, plans));
        }
    }

    private List<Design> designs() {
        return switch (design.toLowerCase(Locale.ROOT)) {
            case "wsfanout" -> List.of(Design.WSFANOUT);
            case "seed" -> List.of(Design.SEED);
            case "both" -> List.of(Design.WSFANOUT, Design.SEED);
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--design must be wsfanout, seed or both, got " + design);
        };
    }

    private SimulationParameters parameters() {
        try {
            return SimulationParameters.builder()
                    .connections(connections).rps(rps).burst(burst)
                    .lambdaConcurrency(newAccount ? Math.min(lambdaConcurrency, NEW_ACCOUNT_LAMBDA_CONCURRENCY) : lambdaConcurrency)
                    .messageBytes(messageBytes).sqsMaxMessageBytes(sqsMaxMessageBytes).snapStart(snapStart)
                    .esmProvisionedPollers(esmProvisionedPollers).snapStartRestoreMs(snapStartRestoreMs)
                    .postFrameMs(postFrameMs).lambdaEgressMbps(lambdaEgressMbps)
                    .lambdaScalePer10s(lambdaScalePer10s).esmInitialConcurrency(esmInitialConcurrency)
                    .esmScaleUpPerMinute(esmScaleUpPerMinute).esmMaxConcurrency(esmMaxConcurrency)
                    .partitions(partitions).shards(shards).chunkSize(chunkSize).mapConcurrency(mapConcurrency)
                    .mapBatchSize(mapBatchSize).mappingMaxConcurrency(mappingMaxConcurrency).esmBatchSize(esmBatchSize)
                    .postConcurrency(postConcurrency).postRate(postRate).maxDeliveryAttempts(maxDeliveryAttempts)
                    .pollIntervalSeconds(pollIntervalSeconds).querySendConcurrency(querySendConcurrency)
                    .visibilityTimeoutSeconds(visibilityTimeoutSeconds).seedSdkAttempts(seedSdkAttempts)
                    .seedSdkBackoffMs(seedSdkBackoffMs).indexItemBytes(indexItemBytes).coldStartMs(coldStartMs)
                    .sfnOverheadMs(sfnOverheadMs).mapStartRate(mapStartRate).childStartMs(childStartMs)
                    .dynamoLatencyMs(dynamoLatencyMs).sqsSendLatencyMs(sqsSendLatencyMs)
                    .sqsReceiveLatencyMs(sqsReceiveLatencyMs).postLatencyMs(postLatencyMs)
                    .throttleRetryMs(throttleRetryMs).jitter(jitter).seed(seed).maxSeconds(maxSeconds)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
