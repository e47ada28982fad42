package dev.wsfanout.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed design's query function, fed by the partition queue: reads each partition's connection
 * ids from the {@code byPartition} index and sends ONE message per connection
 * ({@code {"connectionId":..,"broadcastId":..,"message":..}}), spread over the ten delivery queues.
 * Any failure fails the whole batch, which SQS redelivers after the visibility timeout.
 */
final class SeedQuery implements RequestHandler<SQSEvent, String> {

    private final DynamoDbClient dynamo;
    private final FanoutConfig config;
    private final SqsBatches sender;
    private final List<String> deliveryQueueUrls;

    SeedQuery(DynamoDbClient dynamo, FanoutConfig config, SqsBatches sender, List<String> deliveryQueueUrls) {
        this.dynamo = dynamo;
        this.config = config;
        this.sender = sender;
        this.deliveryQueueUrls = List.copyOf(deliveryQueueUrls);
    }

    @Override
    public String handleRequest(SQSEvent event, Context context) {
        int sent = 0;
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            JsonNode partition = JsonCodec.readTree(record.getBody());
            List<String> bodies = new ArrayList<>();
            for (String connectionId : connectionIds(partition.get("partitionId").asInt())) {
                bodies.add(JsonCodec.write(Map.of("connectionId", connectionId,
                        "broadcastId", partition.get("broadcastId").asText(), "message", partition.get("message"))));
            }
            sender.send(deliveryQueueUrls, bodies);
            sent += bodies.size();
        }
        return "{\"messages\":" + sent + "}";
    }

    private List<String> connectionIds(int partitionId) {
        List<String> ids = new ArrayList<>();
        dynamo.queryPaginator(r -> r.tableName(config.connectionsTable()).indexName(config.partitionIndex())
                        .keyConditionExpression("partitionId = :p")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromN(Integer.toString(partitionId)))))
                .items().forEach(item -> ids.add(item.get("connectionId").s()));
        return ids;
    }
}
