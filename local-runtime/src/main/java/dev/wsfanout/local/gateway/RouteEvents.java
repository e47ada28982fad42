package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the JSON events API Gateway sends to a WebSocket route's Lambda proxy integration
 * (the shape of {@code APIGatewayV2WebSocketEvent}): CONNECT with the upgrade request's headers and
 * query string, MESSAGE with the body, DISCONNECT with the close status.
 */
final class RouteEvents {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private final ObjectMapper json = new ObjectMapper();
    private final ApiStage api;
    private final IdSource ids;

    RouteEvents(ApiStage api, IdSource ids) {
        this.api = api;
        this.ids = ids;
    }

    /**
     * @param authorizer what the $connect authorizer put in {@code requestContext.authorizer}; null without one
     */
    byte[] connect(ConnectionInfo connection, Map<String, Object> authorizer) {
        ObjectNode event = json.createObjectNode();
        putRequestParameters(event, connection);
        event.set("requestContext", requestContext(connection, RouteTable.CONNECT, "CONNECT", authorizer));
        event.put("isBase64Encoded", false);
        return bytes(event);
    }

    /** The REQUEST authorizer's event: the upgrade's headers and query string, and the $connect method ARN. */
    byte[] authorizer(ConnectionInfo connection) {
        ObjectNode event = json.createObjectNode();
        event.put("type", "REQUEST");
        event.put("methodArn", "arn:aws:execute-api:" + api.region() + ":" + api.accountId() + ":" + api.apiId()
                + "/" + api.stage() + "/" + RouteTable.CONNECT);
        putRequestParameters(event, connection);
        event.putObject("stageVariables");
        event.set("requestContext", requestContext(connection, RouteTable.CONNECT, "CONNECT", null));
        return bytes(event);
    }

    private void putRequestParameters(ObjectNode event, ConnectionInfo connection) {
        Map<String, List<String>> headers = new LinkedHashMap<>(connection.headers());
        // API Gateway sits behind a load balancer and tells the integration who really called.
        headers.putIfAbsent("X-Forwarded-For", List.of(connection.sourceIp()));
        headers.putIfAbsent("X-Forwarded-Port", List.of("443"));
        headers.putIfAbsent("X-Forwarded-Proto", List.of("https"));
        putMultiValue(event, "headers", "multiValueHeaders", headers);
        if (!connection.queryParameters().isEmpty()) {
            putMultiValue(event, "queryStringParameters", "multiValueQueryStringParameters",
                    connection.queryParameters());
        }
    }

    byte[] message(ConnectionInfo connection, String routeKey, String body, boolean base64Encoded,
                   Map<String, Object> authorizer) {
        ObjectNode event = json.createObjectNode();
        ObjectNode context = requestContext(connection, routeKey, "MESSAGE", authorizer);
        context.put("messageId", ids.next());
        event.set("requestContext", context);
        event.put("body", body);
        event.put("isBase64Encoded", base64Encoded);
        return bytes(event);
    }

    byte[] disconnect(ConnectionInfo connection, CloseStatus status, Map<String, Object> authorizer) {
        ObjectNode event = json.createObjectNode();
        // The disconnect event carries a fixed, nearly empty header set, as on AWS.
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of(api.domainName()));
        headers.put("x-api-key", List.of(""));
        headers.put("X-Forwarded-For", List.of(""));
        headers.put("x-restapi", List.of(""));
        putMultiValue(event, "headers", "multiValueHeaders", headers);
        ObjectNode context = requestContext(connection, RouteTable.DISCONNECT, "DISCONNECT", authorizer);
        context.put("disconnectStatusCode", status.code());
        context.put("disconnectReason", status.reason());
        event.set("requestContext", context);
        event.put("isBase64Encoded", false);
        return bytes(event);
    }

    private ObjectNode requestContext(ConnectionInfo connection, String routeKey, String eventType,
                                      Map<String, Object> authorizer) {
        Instant now = Instant.now();
        String requestId = ids.next();
        ObjectNode context = json.createObjectNode();
        context.put("routeKey", routeKey);
        if (authorizer != null) {
            context.set("authorizer", json.valueToTree(authorizer));
        }
        context.put("eventType", eventType);
        context.put("extendedRequestId", requestId);
        context.put("requestTime", REQUEST_TIME.format(now));
        context.put("messageDirection", "IN");
        context.put("stage", api.stage());
        context.put("connectedAt", connection.connectedAtMillis());
        context.put("requestTimeEpoch", now.toEpochMilli());
        ObjectNode identity = context.putObject("identity");
        if (connection.userAgent() != null) {
            identity.put("userAgent", connection.userAgent());
        }
        identity.put("sourceIp", connection.sourceIp());
        context.put("requestId", requestId);
        context.put("domainName", api.domainName());
        context.put("connectionId", connection.connectionId());
        context.put("apiId", api.apiId());
        return context;
    }

    /** API Gateway's single-value maps keep the last value of a repeated name. */
    private static void putMultiValue(ObjectNode event, String singleName, String multiName,
                                      Map<String, List<String>> values) {
        ObjectNode single = event.putObject(singleName);
        ObjectNode multi = event.putObject(multiName);
        values.forEach((name, list) -> {
            single.put(name, list.get(list.size() - 1));
            list.forEach(multi.putArray(name)::add);
        });
    }

    private byte[] bytes(ObjectNode event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a route event as JSON", e);
        }
    }
}
