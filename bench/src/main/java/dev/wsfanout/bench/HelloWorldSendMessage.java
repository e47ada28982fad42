package dev.wsfanout.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.wsfanout.model.JsonCodec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The "hello world" design, the sendmessage function of the AWS sample
 * (aws-samples/simple-websockets-chat-app, sendmessage/app.js) in Java: scan the connections table
 * for {@code connectionId}, post {@code JSON.parse(event.body).data} to every id at once
 * ({@code Promise.all}), delete an id that answers 410, and answer 500 if any other post fails.
 * One deviation, so the comparison covers every client: the sample reads only the first scan page
 * (1 MB); this follows {@code LastEvaluatedKey} and does the page-wide {@code Promise.all} page by page.
 */
public final class HelloWorldSendMessage implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private final DynamoDbClient dynamo;
    private final ApiGatewayManagementApiAsyncClient api;
    private final String table;

    public HelloWorldSendMessage(DynamoDbClient dynamo, ApiGatewayManagementApiAsyncClient api, String table) {
        this.dynamo = dynamo;
        this.api = api;
        this.table = table;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        SdkBytes data = SdkBytes.fromUtf8String(JsonCodec.readTree(event.getBody()).get("data").asText());
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            ScanResponse page = dynamo.scan(r -> r.tableName(table).projectionExpression("connectionId").exclusiveStartKey(from));
            List<CompletableFuture<Void>> postCalls = page.items().stream().map(item -> post(item.get("connectionId").s(), data)).toList();
            try {
                CompletableFuture.allOf(postCalls.toArray(new CompletableFuture<?>[0])).join();
            } catch (CompletionException e) {
                return response(500, String.valueOf(e.getCause()));
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return response(200, "Data sent.");
    }

    private CompletableFuture<Void> post(String connectionId, SdkBytes data) {
        return api.postToConnection(r -> r.connectionId(connectionId).data(data)).handle((ok, error) -> {
            if (error == null) {
                return null;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof GoneException) {
                dynamo.deleteItem(r -> r.tableName(table).key(Map.of("connectionId", AttributeValue.fromS(connectionId))));
                return null;
            }
            throw new CompletionException(cause);
        });
    }

    private static APIGatewayV2WebSocketResponse response(int status, String body) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        response.setBody(body);
        return response;
    }
}
