package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.wsfanout.aws.LambdaEnvironment;
import dev.wsfanout.registry.ConnectionRegistry;

import java.time.Clock;

/** Route {@code $disconnect}: forgets the connection and lowers its partition's count. */
public final class DisconnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private final ConnectionRegistry registry;

    public DisconnectHandler() {
        this(LambdaEnvironment.fromSystem());
    }

    private DisconnectHandler(LambdaEnvironment env) {
        this(new ConnectionRegistry(env.clients().dynamoDb(), env.config(), Clock.systemUTC()));
    }

    public DisconnectHandler(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        var request = event.getRequestContext();
        if (request == null || request.getConnectionId() == null) {
            return WebSocketResponses.status(400, "no requestContext.connectionId in the $disconnect event");
        }
        registry.disconnect(request.getConnectionId());
        return WebSocketResponses.status(200, null);
    }
}
