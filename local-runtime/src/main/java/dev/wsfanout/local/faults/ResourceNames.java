package dev.wsfanout.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The resources a request body names: DynamoDB tables ({@code TableName}, or the keys of a batch's
 * {@code RequestItems}) and SQS queues (the last path segment of {@code QueueUrl}, or {@code QueueName}).
 */
final class ResourceNames {

    private ResourceNames() {
    }

    /** Empty when the body is not JSON or names nothing: the upstream will answer such a request itself. */
    static List<String> of(AwsService service, ByteBuf body) {
        return of(service, parse(body));
    }

    /** The body as a JSON tree, or null when it is not JSON. */
    static JsonNode parse(ByteBuf body) {
        try (InputStream in = new ByteBufInputStream(body.duplicate())) {
            return JsonCodec.mapper().readTree(in);
        } catch (IOException e) {
            return null;
        }
    }

    static List<String> of(AwsService service, JsonNode root) {
        if (root == null || !root.isObject()) {
            return List.of();
        }
        return service == AwsService.DYNAMODB ? tables(root) : queues(root);
    }

    private static List<String> tables(JsonNode root) {
        JsonNode batch = root.get("RequestItems");
        if (batch != null && batch.isObject()) {
            List<String> tables = new ArrayList<>();
            batch.fieldNames().forEachRemaining(tables::add);
            return tables;
        }
        return textOf(root.get("TableName"));
    }

    private static List<String> queues(JsonNode root) {
        JsonNode url = root.get("QueueUrl");
        if (url != null && url.isTextual()) {
            String text = url.textValue();
            return List.of(text.substring(text.lastIndexOf('/') + 1));
        }
        return textOf(root.get("QueueName"));
    }

    private static List<String> textOf(JsonNode node) {
        return node != null && node.isTextual() ? List.of(node.textValue()) : List.of();
    }
}
