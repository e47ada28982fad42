package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.Envelope;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalDeployment;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The ceiling: no design at all, just PostToConnection for every connection id as fast as the SDK
 * async client postMessage uses (same builder, retries off) can go at a fixed number of calls in
 * flight. The ids are read before the clock starts, so this is the @connections API alone.
 */
public final class CeilingLoop implements BroadcastDesign {

    private final int concurrency;
    private final List<String> connectionIds;
    private final ApiGatewayManagementApiAsyncClient api;

    public CeilingLoop(LocalDeployment stack, int concurrency) {
        this.concurrency = concurrency;
        this.connectionIds = allConnectionIds(stack);
        this.api = stack.clients().managementApi(concurrency);
    }

    static List<String> allConnectionIds(LocalDeployment stack) {
        List<String> ids = new ArrayList<>();
        stack.dynamo().scanPaginator(r -> r.tableName(stack.config().connectionsTable()).projectionExpression("connectionId"))
                .items().forEach((Map<String, AttributeValue> item) -> ids.add(item.get("connectionId").s()));
        return ids;
    }

    @Override
    public String name() {
        return "ceiling c=" + concurrency;
    }

    @Override
    public CompletableFuture<String> start(String broadcastId, JsonNode message) {
        SdkBytes data = SdkBytes.fromUtf8String(new Envelope(broadcastId, 0, JsonCodec.write(message)).toJson());
        return CompletableFuture.supplyAsync(() -> {
            Semaphore inFlight = new Semaphore(concurrency);
            for (String id : connectionIds) {
                inFlight.acquireUninterruptibly();
                // A failed post is not retried: the gateway's 429 and 410 counts show it.
                api.postToConnection(r -> r.connectionId(id).data(data)).whenComplete((ok, error) -> inFlight.release());
            }
            inFlight.acquireUninterruptibly(concurrency);
            return connectionIds.size() + " posts";
        });
    }

    @Override
    public void close() {
        api.close();
    }
}
