package dev.wsfanout.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the rules can ask of one request: service and operation from its {@code X-Amz-Target} header, and,
 * only when a rule asks, its resources and body text. It reads the request's body buffer in place, so it is
 * valid only until that request is forwarded or released.
 */
final class AwsRequest {

    static final String TARGET_HEADER = "X-Amz-Target";

    private final AwsService service;
    private final String operation;
    private final ByteBuf body;
    private List<String> resources;
    private String bodyText;
    private JsonNode json;
    private boolean parsed;

    private AwsRequest(AwsService service, String operation, ByteBuf body) {
        this.service = service;
        this.operation = operation;
        this.body = body;
    }

    static AwsRequest of(FullHttpRequest request) {
        String target = request.headers().get(TARGET_HEADER);
        AwsService service = AwsService.ofTarget(target);
        return new AwsRequest(service, service == null ? null : service.operationOf(target), request.content());
    }

    /** Null when the request has no target of a service the proxy knows. */
    AwsService service() {
        return service;
    }

    String operation() {
        return operation;
    }

    List<String> resources() {
        if (resources == null) {
            resources = ResourceNames.of(service, json());
        }
        return resources;
    }

    /** The body parsed once, for the rules and the limits alike; null when it is not JSON. */
    JsonNode json() {
        if (!parsed) {
            json = ResourceNames.parse(body);
            parsed = true;
        }
        return json;
    }

    ByteBuf body() {
        return body;
    }

    String bodyText() {
        if (bodyText == null) {
            bodyText = body.toString(StandardCharsets.UTF_8);
        }
        return bodyText;
    }
}
