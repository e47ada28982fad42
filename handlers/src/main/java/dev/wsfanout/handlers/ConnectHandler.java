package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.wsfanout.aws.LambdaEnvironment;
import dev.wsfanout.model.ConnectAuth;
import dev.wsfanout.registry.ConnectionRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Route {@code $connect}: registers the connection in a partition. A non-2xx answer refuses the socket. */
public final class ConnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    /** Left of the function's timeout when the registry's writes must have ended: the answer still has to get out. */
    static final Duration ANSWER_RESERVE = Duration.ofMillis(500);
    /** Without a context (a direct call) the writes get what the stack's $connect gets. */
    private static final Duration NO_CONTEXT_BUDGET = ConnectionRegistry.CONNECTING_GRACE;

    private final ConnectionRegistry registry;

    public ConnectHandler() {
        this(LambdaEnvironment.fromSystem());
    }

    private ConnectHandler(LambdaEnvironment env) {
        this(new ConnectionRegistry(env.clients().dynamoDb(), env.config(), Clock.systemUTC()));
    }

    public ConnectHandler(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        var request = event.getRequestContext();
        if (request == null || request.getConnectionId() == null) {
            return WebSocketResponses.status(400, "no requestContext.connectionId in the $connect event");
        }
        long connectedAt = request.getConnectedAt() > 0 ? request.getConnectedAt() : System.currentTimeMillis();
        registry.connect(request.getConnectionId(), connectedAt, budget(context), identity(request.getAuthorizer()));
        return WebSocketResponses.status(200, null);
    }

    /** The authorizer's context arrives flattened into {@code requestContext.authorizer}, beside its principalId. */
    private static String identity(Map<String, Object> authorizer) {
        Object identity = authorizer == null ? null : authorizer.get(ConnectAuth.IDENTITY);
        return identity == null ? null : identity.toString();
    }

    private static Duration budget(Context context) {
        if (context == null) {
            return NO_CONTEXT_BUDGET;
        }
        Duration left = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(ANSWER_RESERVE);
        return left.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : left;
    }
}
