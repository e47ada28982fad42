package dev.wsfanout.local.faults;

import dev.wsfanout.local.LocalCredentials;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.function.Consumer;

/** Real SDK clients for the tests: us-east-1, dummy credentials, an endpoint override. */
final class TestClients {

    /** One attempt per call, so a test sees the fault itself rather than the SDK's retry of it. */
    static final Consumer<ClientOverrideConfiguration.Builder> NO_RETRIES = o -> o.retryStrategy(b -> b.maxAttempts(1));
    static final Consumer<ClientOverrideConfiguration.Builder> SDK_DEFAULTS = o -> { };

    private static final Region REGION = Region.US_EAST_1;

    private TestClients() {
    }

    static DynamoDbClient dynamo(URI endpoint, Consumer<ClientOverrideConfiguration.Builder> config) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(LocalCredentials.PROVIDER)
                .overrideConfiguration(config).build();
    }

    static DynamoDbAsyncClient dynamoAsync(URI endpoint, int maxConnections) {
        return DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(LocalCredentials.PROVIDER)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(maxConnections)).build();
    }

    static SqsClient sqs(URI endpoint, Consumer<ClientOverrideConfiguration.Builder> config) {
        return SqsClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(LocalCredentials.PROVIDER)
                .overrideConfiguration(config).build();
    }

    static SqsAsyncClient sqsAsync(URI endpoint, Consumer<ClientOverrideConfiguration.Builder> config) {
        return SqsAsyncClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(LocalCredentials.PROVIDER)
                .overrideConfiguration(config).build();
    }
}
