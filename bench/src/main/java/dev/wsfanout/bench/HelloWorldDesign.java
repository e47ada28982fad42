package dev.wsfanout.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.lambda.LocalFunctionException;
import dev.wsfanout.model.Envelope;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalDeployment;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The hello-world design on the stack: {@link HelloWorldSendMessage} as a local Lambda function
 * (one invocation per broadcast, 15 minutes at most as on Lambda), invoked with the message event
 * the gateway would send for {@code {"action":"sendmessage","data":..}}.
 */
public final class HelloWorldDesign implements BroadcastDesign {

    /** The JavaScript SDK v2's https agent opens at most 50 sockets per host. */
    static final int JS_SDK_V2_MAX_SOCKETS = 50;

    private final ApiGatewayManagementApiAsyncClient api;
    private final LocalFunction function;

    public HelloWorldDesign(LocalDeployment stack) {
        this.api = nodeSdkLikeClient(stack, JS_SDK_V2_MAX_SOCKETS);
        this.function = LocalFunction.of("hello-world-sendmessage",
                new HelloWorldSendMessage(stack.dynamo(), api, stack.config().connectionsTable()),
                APIGatewayV2WebSocketEvent.class, 1, Duration.ofMinutes(15));
    }

    /**
     * An @connections client that behaves like the JavaScript SDK v2 the samples used: at most
     * {@code maxSockets} connections, 3 retries of throttling and server errors (legacy mode).
     */
    static ApiGatewayManagementApiAsyncClient nodeSdkLikeClient(LocalDeployment stack, int maxSockets) {
        return ApiGatewayManagementApiAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(maxSockets)
                        .maxPendingConnectionAcquires(1_000_000).connectionAcquisitionTimeout(Duration.ofMinutes(5)))
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.LEGACY).build())
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .endpointOverride(stack.gateway().managementEndpoint())
                .build();
    }

    @Override
    public String name() {
        return "hello world";
    }

    @Override
    public CompletableFuture<String> start(String broadcastId, JsonNode message) {
        String body = JsonCodec.write(Map.of("action", "sendmessage", "data", new Envelope(broadcastId, 0, JsonCodec.write(message)).toJson()));
        String event = JsonCodec.write(Map.of("body", body, "isBase64Encoded", false,
                "requestContext", Map.of("routeKey", "sendmessage", "eventType", "MESSAGE", "stage", "local")));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(function.invoke(event.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            } catch (LocalFunctionException e) {
                throw new IllegalStateException("hello world function failed: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void close() {
        function.close();
        api.close();
    }
}
