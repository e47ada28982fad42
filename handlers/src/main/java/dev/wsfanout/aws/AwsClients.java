package dev.wsfanout.aws;

import dev.wsfanout.fanout.ConnectionPoster;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the SDK clients every function uses, from one {@link FanoutConfig}. On AWS the region and
 * credentials come from the Lambda environment; with an endpoint override on loopback (the local
 * runtime and the tests) the stand-ins accept any key, so fixed dummy credentials are used and no
 * credential lookup can fail on a machine without an AWS account.
 */
public final class AwsClients {

    private static final Region LOCAL_REGION = Region.US_EAST_1;

    private final FanoutConfig config;
    private final Region region;

    public AwsClients(FanoutConfig config, Map<String, String> env) {
        this.config = config;
        String configured = env.get("AWS_REGION");
        this.region = configured == null || configured.isBlank() ? LOCAL_REGION : Region.of(configured);
    }

    public DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region)
                .credentialsProvider(credentials(config.dynamoDbEndpoint()));
        config.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public DynamoDbAsyncClient dynamoDbAsync() {
        var builder = DynamoDbAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64))
                .region(region)
                .credentialsProvider(credentials(config.dynamoDbEndpoint()));
        config.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public SqsAsyncClient sqsAsync() {
        var builder = SqsAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64))
                .region(region)
                .credentialsProvider(credentials(config.sqsEndpoint()));
        config.sqsEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The @connections client. Its SDK retries are off: the poster retries only what failed, at
     * the pace its rate governor allows, and an SDK retry hidden underneath would spend quota twice.
     */
    public ApiGatewayManagementApiAsyncClient managementApi(int maxConcurrency) {
        URI endpoint = config.requireManagementEndpoint();
        return ApiGatewayManagementApiAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(maxConcurrency)
                        .maxPendingConnectionAcquires(100_000)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(ConnectionPoster.CALL_TIMEOUT)
                        .build())
                .region(region)
                .credentialsProvider(credentials(Optional.of(endpoint)))
                .endpointOverride(endpoint)
                .build();
    }

    /** Only on AWS: the local stack hands the authorizer its secret directly (there is no Secrets Manager stand-in). */
    public SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build();
    }

    /** The stand-ins' fixed pair for a loopback endpoint, else the environment's credentials. */
    public static AwsCredentialsProvider credentials(Optional<URI> endpoint) {
        if (endpoint.isPresent() && isLoopback(endpoint.get())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }
}
