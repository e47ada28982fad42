package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.wsfanout.aws.LambdaEnvironment;
import dev.wsfanout.fanout.BroadcastTallies;
import dev.wsfanout.fanout.ChunkDelivery;
import dev.wsfanout.fanout.ConnectionPoster;
import dev.wsfanout.fanout.DeliveryCheckpoints;
import dev.wsfanout.fanout.DeliveryLedger;
import dev.wsfanout.fanout.RateGovernor;
import dev.wsfanout.fanout.ShardPublisher;
import dev.wsfanout.model.DeploymentDefaults;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.registry.ConnectionRegistry;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Drains a shard queue: each SQS record is one delivery chunk. Records that broke as a whole are
 * reported in {@code batchItemFailures} (the event source mapping needs ReportBatchItemFailures),
 * so SQS redelivers only those.
 */
public final class PostMessageHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** The shard queues' event-source mapping hands over at most this many records: one thread each. */
    private static final int CHUNKS_AT_ONCE = DeploymentDefaults.SQS_BATCH_SIZE;

    private final ChunkDelivery delivery;

    public PostMessageHandler() {
        this(LambdaEnvironment.fromSystem());
    }

    private PostMessageHandler(LambdaEnvironment env) {
        this(env.config(), env.clients().managementApi(env.config().postConcurrency()), env.clients().dynamoDb(),
                env.clients().sqsAsync(), System.out::println);
    }

    /**
     * Wires the delivery service from its clients; the local runtime and the tests use this.
     *
     * @param metrics where the per-invocation CloudWatch EMF line goes (stdout on Lambda)
     */
    public PostMessageHandler(FanoutConfig config, ApiGatewayManagementApiAsyncClient api, DynamoDbClient dynamo,
                              SqsAsyncClient sqs, Consumer<String> metrics) {
        this(config, api, dynamo, sqs, metrics, DeliveryCheckpoints.NONE);
    }

    /** As above, reporting each settlement step to {@code checkpoints} (the fault harness kills invocations there). */
    public PostMessageHandler(FanoutConfig config, ApiGatewayManagementApiAsyncClient api, DynamoDbClient dynamo,
                              SqsAsyncClient sqs, Consumer<String> metrics, DeliveryCheckpoints checkpoints) {
        this(new ChunkDelivery(
                new ConnectionPoster(api, new RateGovernor(config.postRate()), config.postConcurrency()),
                new DeliveryLedger(dynamo, config.deliveriesTable(), Clock.systemUTC()),
                new BroadcastTallies(dynamo, config.broadcastsTable(), config.deliveriesTable(), Clock.systemUTC()),
                new ConnectionRegistry(dynamo, config, Clock.systemUTC()),
                new ShardPublisher(sqs, config.requireShardQueueUrls(), config.sqsMaxMessageBytes(), 1),
                config,
                chunkThreads(),
                metrics,
                checkpoints,
                Clock.systemUTC()));
    }

    public PostMessageHandler(ChunkDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<ChunkDelivery.ChunkMessage> batch = event.getRecords().stream()
                .map(r -> new ChunkDelivery.ChunkMessage(r.getMessageId(), r.getBody(), r.getEventSourceArn()))
                .toList();
        long lease = context == null ? 60_000 : context.getRemainingTimeInMillis();
        List<String> failed = delivery.deliver(batch, lease);
        return SQSBatchResponse.builder()
                .withBatchItemFailures(failed.stream().map(id -> new SQSBatchResponse.BatchItemFailure(id)).toList())
                .build();
    }

    private static ExecutorService chunkThreads() {
        return Executors.newFixedThreadPool(CHUNKS_AT_ONCE, r -> {
            Thread t = new Thread(r, "post-chunk");
            t.setDaemon(true);
            return t;
        });
    }
}
