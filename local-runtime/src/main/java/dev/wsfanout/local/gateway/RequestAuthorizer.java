package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.lambda.LocalFunctionException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Lambda REQUEST authorizer on $connect, run the way API Gateway runs one: an identity source
 * that is missing or empty answers 401 without invoking the function; the function's error
 * "Unauthorized" answers 401; a policy that does not allow {@code execute-api:Invoke} on the
 * method ARN (or denies it) answers 403; any other error, or a malformed answer (a context value
 * that is an object or an array), answers 500. An allowed connection carries {@code principalId}
 * and the context, flattened, as {@code requestContext.authorizer} in its route events.
 */
final class RequestAuthorizer {

    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;
    static final int AUTHORIZER_FAILURE = 500;

    private static final System.Logger LOG = System.getLogger(RequestAuthorizer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY_STRING = "route.request.querystring.";
    private static final String HEADER = "route.request.header.";

    /** What the authorizer decided: a refusal status, or the context the connection's events carry. */
    record Decision(int refusalStatus, Map<String, Object> context) {
        static Decision refused(int status) {
            return new Decision(status, Map.of());
        }

        boolean allowed() {
            return refusalStatus == 0;
        }
    }

    private final LocalFunction function;
    private final List<String> identitySources;

    /**
     * @param identitySources {@code route.request.querystring.NAME} or {@code route.request.header.NAME}, all required
     */
    RequestAuthorizer(LocalFunction function, List<String> identitySources) {
        this.function = Objects.requireNonNull(function, "authorizer function");
        for (String source : identitySources) {
            if (!(source.startsWith(QUERY_STRING) || source.startsWith(HEADER)) || source.endsWith(".")) {
                throw new IllegalArgumentException("identity source must be route.request.querystring.NAME or "
                        + "route.request.header.NAME, was " + source);
            }
        }
        this.identitySources = List.copyOf(identitySources);
    }

    Decision authorize(ConnectionInfo connection, byte[] event) {
        for (String source : identitySources) {
            if (identityOf(connection, source) == null) {
                return Decision.refused(UNAUTHORIZED);
            }
        }
        byte[] response;
        try {
            response = function.invoke(event);
        } catch (LocalFunctionException e) {
            if ("Unauthorized".equals(e.errorMessage())) {
                return Decision.refused(UNAUTHORIZED);
            }
            LOG.log(System.Logger.Level.WARNING, "authorizer failed for " + connection.connectionId() + ": " + e.getMessage());
            return Decision.refused(AUTHORIZER_FAILURE);
        }
        return decide(response, methodArnOf(event));
    }

    private static String identityOf(ConnectionInfo connection, String source) {
        List<String> values;
        if (source.startsWith(QUERY_STRING)) {
            values = connection.queryParameters().get(source.substring(QUERY_STRING.length()));
        } else {
            String name = source.substring(HEADER.length()).toLowerCase(Locale.ROOT);
            values = connection.headers().entrySet().stream()
                    .filter(header -> header.getKey().toLowerCase(Locale.ROOT).equals(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        return values == null || values.isEmpty() || values.get(values.size() - 1).isEmpty() ? null : values.get(values.size() - 1);
    }

    private static String methodArnOf(byte[] event) {
        try {
            return JSON.readTree(event).path("methodArn").asText();
        } catch (IOException e) {
            throw new IllegalStateException("the gateway wrote an authorizer event that is not JSON", e);
        }
    }

    private static Decision decide(byte[] response, String methodArn) {
        JsonNode answer;
        try {
            answer = JSON.readTree(response);
        } catch (IOException malformed) {
            return Decision.refused(AUTHORIZER_FAILURE);
        }
        if (answer == null || !answer.path("principalId").isTextual() || !answer.path("policyDocument").isObject()) {
            return Decision.refused(AUTHORIZER_FAILURE);
        }
        boolean allowed = false;
        JsonNode statements = answer.path("policyDocument").path("Statement");
        for (JsonNode statement : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
            if (!invokes(statement.path("Action")) || !matches(statement.path("Resource"), methodArn)) {
                continue;
            }
            String effect = statement.path("Effect").asText();
            if ("Deny".equalsIgnoreCase(effect)) {
                return Decision.refused(FORBIDDEN);
            }
            allowed |= "Allow".equalsIgnoreCase(effect);
        }
        if (!allowed) {
            return Decision.refused(FORBIDDEN);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("principalId", answer.get("principalId").asText());
        JsonNode values = answer.path("context");
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) values::fields) {
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                // API Gateway accepts only strings, numbers and booleans in the context.
                return Decision.refused(AUTHORIZER_FAILURE);
            }
            context.put(field.getKey(), value.isNumber() ? value.numberValue() : value.isBoolean() ? value.asBoolean() : value.asText());
        }
        return new Decision(0, Map.copyOf(context));
    }

    private static boolean invokes(JsonNode action) {
        for (JsonNode one : action.isArray() ? action : JSON.createArrayNode().add(action)) {
            String name = one.asText();
            if (name.equals("*") || name.equalsIgnoreCase("execute-api:*") || name.equalsIgnoreCase("execute-api:Invoke")) {
                return true;
            }
        }
        return false;
    }

    /** IAM resource patterns: {@code *} any run of characters, {@code ?} one. */
    private static boolean matches(JsonNode resource, String methodArn) {
        for (JsonNode one : resource.isArray() ? resource : JSON.createArrayNode().add(resource)) {
            String regex = Pattern.quote(one.asText()).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
            if (Pattern.matches(regex, methodArn)) {
                return true;
            }
        }
        return false;
    }
}
