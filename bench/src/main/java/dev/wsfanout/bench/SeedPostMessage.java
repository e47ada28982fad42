package dev.wsfanout.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.Envelope;
import dev.wsfanout.model.JsonCodec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The seed design's postMessage: one post per SQS message, the whole batch at once, no pacing. The
 * SDK retries throttling on its own; a post that still fails fails the invocation, so the whole
 * batch (the delivered messages too) comes back after the visibility timeout. 410 is not an error.
 */
final class SeedPostMessage implements RequestHandler<SQSEvent, String> {

    private final ApiGatewayManagementApiAsyncClient api;

    SeedPostMessage(ApiGatewayManagementApiAsyncClient api) {
        this.api = api;
    }

    @Override
    public String handleRequest(SQSEvent event, Context context) {
        List<CompletableFuture<Void>> posts = event.getRecords().stream().map(record -> {
            JsonNode m = JsonCodec.readTree(record.getBody());
            SdkBytes data = SdkBytes.fromUtf8String(new Envelope(m.get("broadcastId").asText(), 0, JsonCodec.write(m.get("message"))).toJson());
            return api.postToConnection(r -> r.connectionId(m.get("connectionId").asText()).data(data))
                    .handle((ok, error) -> {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        if (cause != null && !(cause instanceof GoneException)) {
                            throw new CompletionException(cause);
                        }
                        return (Void) null;
                    });
        }).toList();
        CompletableFuture.allOf(posts.toArray(new CompletableFuture<?>[0])).join();
        return "{\"posted\":" + posts.size() + "}";
    }
}
