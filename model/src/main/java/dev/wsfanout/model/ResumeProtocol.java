package dev.wsfanout.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The resume protocol's messages (docs/resume.md): the client's request on the {@value #ROUTE}
 * route, and the control messages the resume function posts back. Control messages carry
 * {@code type} and never {@code broadcastId}, so a client tells them from deliveries.
 */
public final class ResumeProtocol {

    /** The route key, selected by {@code $request.body.action}. */
    public static final String ROUTE = "resume";

    private ResumeProtocol() {
    }

    /**
     * A client's {@code {"action":"resume","since":41}}, or its keep-alive {@code {"action":"resume","since":41,"quiet":true}}.
     *
     * @param since the highest {@code seq} the client has delivered; empty for a client that has seen nothing
     * @param quiet answer only if something was missed: a fleet's keep-alives then cost no posts while all is well
     */
    public record Request(OptionalLong since, boolean quiet) {

        /**
         * Reads a request body.
         *
         * @throws JsonCodec.MalformedJsonException naming what is wrong, for the error reply
         */
        public static Request fromJson(String body) {
            if (body == null || body.isBlank()) {
                throw new JsonCodec.MalformedJsonException("resume", "the message is empty; send {\"action\":\"resume\",\"since\":<seq>}");
            }
            JsonNode node;
            try {
                node = JsonCodec.readTree(body);
            } catch (RuntimeException e) {
                throw new JsonCodec.MalformedJsonException("resume", "the message is not JSON: " + e.getMessage());
            }
            if (!node.isObject()) {
                throw new JsonCodec.MalformedJsonException("resume", "the message must be a JSON object, got " + node.getNodeType());
            }
            JsonNode quietNode = node.get("quiet");
            if (quietNode != null && !quietNode.isNull() && !quietNode.isBoolean()) {
                throw new JsonCodec.MalformedJsonException("resume", "quiet must be true or false, got " + quietNode);
            }
            boolean quiet = quietNode != null && quietNode.asBoolean();
            JsonNode since = node.get("since");
            if (since == null || since.isNull()) {
                return new Request(OptionalLong.empty(), quiet);
            }
            if (!since.canConvertToExactIntegral() || !since.canConvertToLong() || since.asLong() < 0) {
                throw new JsonCodec.MalformedJsonException("resume", "since must be a whole number >= 0 (the last seq the client"
                        + " delivered) or null, got " + since);
            }
            return new Request(OptionalLong.of(since.asLong()), quiet);
        }
    }

    /** Broadcasts {@code from..to} after {@code since} are no longer retained: the client cannot get them. */
    public static String expiredGap(long since, long from, long to, long head) {
        return control("type", "gap", "reason", "expired", "since", since, "from", from, "to", to, "head", head);
    }

    /** {@code since} is ahead of the stream's head (a history that was reset): the client starts over from {@code head}. */
    public static String unknownGap(long since, long head) {
        return control("type", "gap", "reason", "unknown", "since", since, "head", head);
    }

    /**
     * The end of a resume: {@code head} is the newest number at the read, and every number in
     * ({@code since}, {@code head}] that was neither replayed nor in a gap does not exist.
     */
    public static String resumed(OptionalLong since, long head, int replayed) {
        return control("type", "resumed", "since", since.isPresent() ? since.getAsLong() : null, "head", head,
                "replayed", replayed);
    }

    /** A request the resume function cannot serve, and why. */
    public static String error(String message) {
        return control("type", "error", "action", ROUTE, "message", message);
    }

    /** The fields in the documented order. */
    private static String control(Object... keysAndValues) {
        Map<String, Object> message = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            message.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return JsonCodec.write(message);
    }
}
