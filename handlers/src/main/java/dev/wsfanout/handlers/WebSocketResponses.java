package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;

/** The responses the lifecycle routes give API Gateway. */
final class WebSocketResponses {

    private WebSocketResponses() {
    }

    static APIGatewayV2WebSocketResponse status(int statusCode, String body) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(statusCode);
        response.setBody(body);
        return response;
    }
}
