package dev.wsfanout.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed design's swarm function: {@code {"broadcastId":..,"message":..}} in, one SQS message per
 * partition ({@code {"partitionId":p,"broadcastId":..,"message":..}}) out to the one partition queue.
 */
final class SeedSwarm implements RequestStreamHandler {

    private final SqsBatches sender;
    private final String partitionQueueUrl;
    private final int partitionCount;

    SeedSwarm(SqsBatches sender, String partitionQueueUrl, int partitionCount) {
        this.sender = sender;
        this.partitionQueueUrl = partitionQueueUrl;
        this.partitionCount = partitionCount;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
        JsonNode request = JsonCodec.readTree(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        List<String> bodies = new ArrayList<>(partitionCount);
        for (int p = 1; p <= partitionCount; p++) {
            bodies.add(JsonCodec.write(Map.of("partitionId", p, "broadcastId", request.get("broadcastId").asText(),
                    "message", request.get("message"))));
        }
        sender.send(List.of(partitionQueueUrl), bodies);
        output.write(JsonCodec.write(Map.of("partitions", partitionCount)).getBytes(StandardCharsets.UTF_8));
    }
}
