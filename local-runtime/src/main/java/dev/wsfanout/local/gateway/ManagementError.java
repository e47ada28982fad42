package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * The management API's errors in API Gateway's restJson1 form: the status code, the error type in
 * {@code x-amzn-ErrorType} and a {@code {"message": ...}} body. The AWS SDK turns the type into
 * its typed exception (GoneException, LimitExceededException, ...).
 */
enum ManagementError {
    FORBIDDEN(403, "ForbiddenException", "Forbidden"),
    GONE(410, "GoneException", "The connection with the provided id no longer exists."),
    PAYLOAD_TOO_LARGE(413, "PayloadTooLargeException", "Message too long; the limit is 128 KB (131072 bytes)"),
    LIMIT_EXCEEDED(429, "LimitExceededException", "Rate exceeded"),
    /**
     * The same error type and status as the throttle: the service model documents
     * LimitExceededException for both "more than the allowed number of requests per unit of
     * time" and "the WebSocket client side buffer is full". The message text is ours.
     */
    CLIENT_BUFFER_FULL(429, "LimitExceededException", "The WebSocket client side buffer is full"),
    INTERNAL_ERROR(500, "InternalServerErrorException", "Internal server error");

    private final int status;
    private final String type;
    private final String message;

    ManagementError(int status, String type, String message) {
        this.status = status;
        this.type = type;
        this.message = message;
    }

    int status() {
        return status;
    }

    FullHttpResponse response() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("message", message);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        response.headers().set("x-amzn-ErrorType", type);
        return response;
    }
}
