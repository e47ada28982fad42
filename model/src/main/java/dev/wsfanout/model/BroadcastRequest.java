package dev.wsfanout.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a user sends to start a broadcast: {@code {"message": <string or any JSON value>}}.
 * The state machine checks the same rules before anything is written; this record lets the CLI
 * refuse a bad message before it even starts an execution.
 */
public record BroadcastRequest(JsonNode message) {

    @JsonCreator
    public BroadcastRequest(@JsonProperty(value = "message", required = true) JsonNode message) {
        if (message == null || message.isNull() || message.isMissingNode()) {
            throw new InvalidBroadcastException("the input has no \"message\": send {\"message\": \"text\"} or any JSON value as message");
        }
        int size = JsonCodec.utf8Size(message);
        if (size > MessageLimits.MAX_MESSAGE_BYTES) {
            throw new InvalidBroadcastException("the message is " + size + " bytes serialized; the limit is "
                    + MessageLimits.MAX_MESSAGE_BYTES + " (API Gateway's 128 KiB less the delivery envelope)");
        }
        this.message = message;
    }

    /** Parses the execution input, turning every problem into an {@link InvalidBroadcastException}. */
    public static BroadcastRequest fromJson(String json) {
        try {
            return JsonCodec.read(json, BroadcastRequest.class);
        } catch (JsonCodec.MalformedJsonException e) {
            throw new InvalidBroadcastException("the input is not a broadcast request: " + e.getMessage());
        }
    }

    /** Thrown when a broadcast request breaks a rule; the message says which and how to fix it. */
    public static final class InvalidBroadcastException extends IllegalArgumentException {
        public InvalidBroadcastException(String message) {
            super(message);
        }
    }
}
