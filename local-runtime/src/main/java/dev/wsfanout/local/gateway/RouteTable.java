package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.lambda.LocalFunction;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The API's routes: an optional REQUEST authorizer on {@code $connect}, optional {@code $connect} and
 * {@code $disconnect} functions, and message routes
 * chosen by the route selection expression {@code $request.body.action}, falling back to
 * {@code $default}.
 */
record RouteTable(RequestAuthorizer authorizer, LocalFunction connect, LocalFunction disconnect, LocalFunction defaultFunction,
                  Map<String, LocalFunction> messageRoutes) {

    static final String CONNECT = "$connect";
    static final String DISCONNECT = "$disconnect";
    static final String DEFAULT = "$default";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message route chosen for one message. */
    record Selected(String routeKey, LocalFunction function) {
    }

    RouteTable {
        messageRoutes = Map.copyOf(messageRoutes);
    }

    /**
     * The route for a text message: the route named by the body's {@code action} field when one
     * exists, else {@code $default}; empty when neither exists (API Gateway then answers the client
     * with a "Forbidden" message).
     */
    Optional<Selected> select(String body) {
        if (messageRoutes.isEmpty()) {
            return defaultSelection();
        }
        String action = actionOf(body);
        if (action != null && messageRoutes.containsKey(action)) {
            return Optional.of(new Selected(action, messageRoutes.get(action)));
        }
        return defaultSelection();
    }

    /** The route of messages that name no route, such as binary messages. */
    Optional<Selected> defaultSelection() {
        return Optional.ofNullable(defaultFunction).map(function -> new Selected(DEFAULT, function));
    }

    private static String actionOf(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode action = node == null ? null : node.get("action");
            return action != null && action.isTextual() ? action.asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
