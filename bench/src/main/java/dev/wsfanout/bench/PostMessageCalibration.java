package dev.wsfanout.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.wsfanout.handlers.PostMessageHandler;
import dev.wsfanout.local.dynamo.BroadcastRecordWriter;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.lambda.LocalFunctionException;
import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalDeployment;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The capacity model's calibration (docs/capacity-model.md, "Per-invocation post throughput"):
 * postMessage invoked directly with full batches, 10 chunks of 100 connections, one invocation at
 * a time, timed. Run twice: with the stack's own function (its POST_RATE governs), and with the
 * same handler built with POST_RATE far above what one invocation can do, so the handler's own
 * cost per post shows. Also what each invocation allocates on its own threads and JVM-wide.
 */
public final class PostMessageCalibration {

    static final int CHUNKS = 10;
    static final int CHUNK_SIZE = 100;
    private static final String UNBOUND_POST_RATE = "100000";

    /**
     * One configuration's invocations.
     *
     * @param label              which function
     * @param postRate           its POST_RATE
     * @param postConcurrency    its POST_CONCURRENCY
     * @param millis             wall time of each invocation
     * @param handlerThreadBytes heap allocated per invocation by the function's own threads (invocation thread and chunk threads)
     * @param jvmBytes           heap allocated by all threads of the JVM during each invocation (includes the gateway emulator and SDK I/O threads)
     */
    public record Result(String label, int postRate, int postConcurrency, List<Double> millis, List<Long> handlerThreadBytes,
                         List<Long> jvmBytes) {

        public double postsPerSecond() {
            return CHUNKS * CHUNK_SIZE * 1000.0 / Stats.median(millis);
        }
    }

    private PostMessageCalibration() {
    }

    public static List<Result> run(LocalDeployment stack, List<String> connectionIds, int invocations) {
        if (connectionIds.size() < CHUNKS * CHUNK_SIZE) {
            throw new IllegalArgumentException("calibration needs " + CHUNKS * CHUNK_SIZE + " connection ids, got " + connectionIds.size());
        }
        List<Result> results = new ArrayList<>();
        FanoutConfig config = stack.config();
        results.add(measure(stack, stack.function(LocalDeployment.POST_MESSAGE), "stack postMessage", config, connectionIds, invocations));

        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put(FanoutConfig.POST_RATE, UNBOUND_POST_RATE);
        FanoutConfig unbound = FanoutConfig.fromEnv(env);
        try (ApiGatewayManagementApiAsyncClient api = stack.clients().managementApi(unbound.postConcurrency());
             SqsAsyncClient sqs = stack.clients().sqsAsync();
             LocalFunction function = LocalFunction.of("calibration-postMessage",
                     new PostMessageHandler(unbound, api, stack.dynamo(), sqs, line -> { }), SQSEvent.class, 1, Duration.ofMinutes(1))) {
            results.add(measure(stack, function, "postMessage, POST_RATE unbound", unbound, connectionIds, invocations));
        }
        return results;
    }

    private static Result measure(LocalDeployment stack, LocalFunction function, String label, FanoutConfig config,
                                  List<String> ids, int invocations) {
        List<Double> millis = new ArrayList<>();
        List<Long> handlerBytes = new ArrayList<>();
        List<Long> jvmBytes = new ArrayList<>();
        String functionThreads = "lambda-" + function.name();
        for (int i = 0; i < invocations; i++) {
            String broadcastId = "calibration-" + UUID.randomUUID();
            BroadcastRecordWriter records = new BroadcastRecordWriter(stack.dynamo(), stack.config());
            records.create(broadcastId, JsonCodec.write(BroadcastBench.message("calibration")));
            records.setQueued(broadcastId, (long) CHUNKS * CHUNK_SIZE, 0, CHUNKS);
            byte[] event = event(broadcastId, ids).getBytes(StandardCharsets.UTF_8);
            ThreadAllocations before = ThreadAllocations.now();
            long start = System.nanoTime();
            try {
                function.invoke(event);
            } catch (LocalFunctionException e) {
                throw new IllegalStateException("calibration invocation of " + function.name() + " failed: " + e.getMessage(), e);
            }
            millis.add((System.nanoTime() - start) / 1e6);
            ThreadAllocations after = ThreadAllocations.now();
            handlerBytes.add(after.since(before, name -> name.equals(functionThreads) || name.startsWith("post-chunk")));
            jvmBytes.add(after.since(before, name -> true));
        }
        return new Result(label, config.postRate(), config.postConcurrency(), millis, handlerBytes, jvmBytes);
    }

    private static String event(String broadcastId, List<String> ids) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int c = 0; c < CHUNKS; c++) {
            DeliveryChunk chunk = new DeliveryChunk(broadcastId, 1, DeliveryChunk.partitionChunkId(c + 1, 0, 0),
                    ids.subList(c * CHUNK_SIZE, (c + 1) * CHUNK_SIZE), JsonCodec.write(BroadcastBench.message("calibration")));
            records.add(Map.of(
                    "messageId", UUID.randomUUID().toString(),
                    "receiptHandle", "calibration-" + c,
                    "body", chunk.toJson(),
                    "attributes", Map.of("ApproximateReceiveCount", "1", "SentTimestamp", Long.toString(System.currentTimeMillis())),
                    "messageAttributes", Map.of(),
                    "eventSource", "aws:sqs",
                    "eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:wsfanout-shard-" + (c % 10),
                    "awsRegion", "us-east-1"));
        }
        return JsonCodec.write(Map.of("Records", records));
    }
}
