package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.wsfanout.aws.LambdaEnvironment;
import dev.wsfanout.registry.ConnectionRegistry;

import java.time.Clock;

/** Route {@code $connect}: registers the connection in a partition. A non-2xx answer refuses the socket. */
public final class ConnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

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
        registry.connect(request.getConnectionId(), connectedAt);
        return WebSocketResponses.status(200, null);
    }
}
