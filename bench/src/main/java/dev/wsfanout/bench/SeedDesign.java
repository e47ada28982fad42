package dev.wsfanout.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.lambda.LocalFunctionException;
import dev.wsfanout.local.sqs.LocalSqsClients;
import dev.wsfanout.local.sqs.ElasticMqShardQueues;
import dev.wsfanout.local.sqs.SqsEventSourceMappingSettings;
import dev.wsfanout.local.sqs.SqsEventSourceMappings;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalDeployment;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The seed design on the stack's ElasticMQ, with queues of its own: the swarm function sends one
 * message per partition to {@code seed-partitions}; a mapping (batch 10) feeds them to the seed
 * query function, which sends one message per connection over {@code seed-delivery-0..9}; ten
 * mappings (batch 10, no partial batch responses) feed those to the seed postMessage. Queues keep
 * SQS's default 30 s visibility timeout. Each mapping runs {@link #MAPPING_CONCURRENCY} batches at
 * once: the concurrency Lambda starts an SQS mapping with (it adds more only over minutes).
 */
public final class SeedDesign implements BroadcastDesign {

    static final int MAPPING_CONCURRENCY = 5;
    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    private static final int SEND_CALLS_IN_FLIGHT = 20;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final LocalFunction swarm;

    public SeedDesign(LocalDeployment stack) {
        int shards = stack.config().shardCount();
        SqsClient sqsSync = own(LocalSqsClients.sync(stack.sqsEndpoint()));
        String partitionQueue = sqsSync.createQueue(r -> r.queueName("seed-partitions")
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(VISIBILITY_TIMEOUT.toSeconds())))).queueUrl();
        List<String> deliveryQueues = ElasticMqShardQueues.defaults().withPrefix("seed-delivery").withCount(shards)
                .withVisibilityTimeout(VISIBILITY_TIMEOUT).withMaxReceiveCount(1000).create(sqsSync).queues();
        SqsAsyncClient sqs = own(stack.clients().sqsAsync());
        SqsBatches sender = new SqsBatches(sqs, SEND_CALLS_IN_FLIGHT);
        ApiGatewayManagementApiAsyncClient api = own(HelloWorldDesign.nodeSdkLikeClient(stack, HelloWorldDesign.JS_SDK_V2_MAX_SOCKETS));

        swarm = own(LocalFunction.ofStream("seed-swarm", new SeedSwarm(sender, partitionQueue, stack.config().partitionCount()),
                1, Duration.ofMinutes(15)));
        LocalFunction query = own(LocalFunction.of("seed-query", new SeedQuery(stack.dynamo(), stack.config(), sender, deliveryQueues),
                SQSEvent.class, MAPPING_CONCURRENCY, VISIBILITY_TIMEOUT));
        LocalFunction post = own(LocalFunction.of("seed-postMessage", new SeedPostMessage(api),
                SQSEvent.class, MAPPING_CONCURRENCY * shards, VISIBILITY_TIMEOUT));

        SqsEventSourceMappingSettings settings = SqsEventSourceMappingSettings.builder()
                .batchSize(10).maxConcurrency(MAPPING_CONCURRENCY).reportBatchItemFailures(false).waitTimeSeconds(1).build();
        SqsAsyncClient pollers = own(LocalSqsClients.async(stack.sqsEndpoint()));
        own(SqsEventSourceMappings.forQueues(pollers, List.of(partitionQueue), query, settings).start());
        own(SqsEventSourceMappings.forQueues(pollers, deliveryQueues, post, settings).start());
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public String name() {
        return "seed";
    }

    /** The swarm function returns long before the last post; failed batches come back after the visibility timeout. */
    @Override
    public boolean postsSettleWithEntry() {
        return false;
    }

    @Override
    public CompletableFuture<String> start(String broadcastId, JsonNode message) {
        byte[] event = JsonCodec.write(Map.of("broadcastId", broadcastId, "message", message)).getBytes(StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(swarm.invoke(event), StandardCharsets.UTF_8);
            } catch (LocalFunctionException e) {
                throw new IllegalStateException("seed swarm function failed: " + e.getMessage(), e);
            }
        });
    }

    /** Stops the mappings first (they wait for their in-flight invocations), then the functions and clients. */
    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                System.err.println("seed design: closing: " + e);
            }
        }
    }
}
