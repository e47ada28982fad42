package dev.wsfanout.local.sqs;

import dev.wsfanout.local.LocalCredentials;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/** SDK v2 SQS clients pointed at a local endpoint: region us-east-1, static dummy credentials. */
public final class LocalSqsClients {

    /*
     * Every poller of every mapping holds one connection for up to 20 s of long polling, and the
     * deletes of finished batches need more on top; the SDK's default of 50 would starve the deletes
     * once ten shards are polled.
     */
    private static final int ASYNC_MAX_CONNECTIONS = 1000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private LocalSqsClients() {
    }

    public static SqsClient sync(URI endpoint) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(ElasticMqServer.REGION))
                .credentialsProvider(LocalCredentials.PROVIDER)
                .build();
    }

    /** An async client whose connection pool is large enough for many event-source mappings at once. */
    public static SqsAsyncClient async(URI endpoint) {
        return SqsAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(ElasticMqServer.REGION))
                .credentialsProvider(LocalCredentials.PROVIDER)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(ASYNC_MAX_CONNECTIONS)
                        .readTimeout(READ_TIMEOUT))
                .build();
    }
}
