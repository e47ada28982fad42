package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.wsfanout.aws.LambdaEnvironment;
import dev.wsfanout.fanout.BroadcastMessages;
import dev.wsfanout.fanout.ConnectionPoster;
import dev.wsfanout.fanout.PostOutcome;
import dev.wsfanout.fanout.RateGovernor;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.model.ResumeProtocol;
import dev.wsfanout.model.StreamHistory;
import dev.wsfanout.resume.ResumePlanner;
import dev.wsfanout.resume.StreamHistoryReader;
import dev.wsfanout.resume.StreamResume;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Route {@code resume}: a client that reconnected asks for the broadcasts it missed since the last
 * {@code seq} it delivered ({@code {"action":"resume","since":41}}); the replay and the control
 * messages are posted to it (docs/resume.md). The route answers nothing itself: API Gateway cannot
 * carry more than one message in a route response, and the replay is many.
 */
public final class ResumeHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    /** Posts of one replay go one after another; a resume needs no more than a few calls at once. */
    public static final int POSTS_IN_FLIGHT = 4;

    private final StreamResume resume;
    private final Consumer<String> log;

    public ResumeHandler() {
        this(LambdaEnvironment.fromSystem());
    }

    private ResumeHandler(LambdaEnvironment env) {
        this(env.config(), env.clients().dynamoDb(), env.clients().dynamoDbAsync(), env.clients().managementApi(POSTS_IN_FLIGHT),
                System.out::println);
    }

    public ResumeHandler(FanoutConfig config, DynamoDbClient dynamo, DynamoDbAsyncClient dynamoAsync,
                         ApiGatewayManagementApiAsyncClient api, Consumer<String> log) {
        this(new StreamResume(
                new ResumePlanner(new StreamHistoryReader(dynamo, config.historyTable(), StreamHistory.DEFAULT_STREAM),
                        config.historyMaxCount(), Duration.ofSeconds(config.historyMaxAgeSeconds())),
                new BroadcastMessages(dynamoAsync, config.broadcastsTable(), config.historyMaxCount()),
                new ConnectionPoster(api, new RateGovernor(config.postRate()), POSTS_IN_FLIGHT),
                Clock.systemUTC()), log);
    }

    public ResumeHandler(StreamResume resume, Consumer<String> log) {
        this.resume = resume;
        this.log = log;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        var request = event.getRequestContext();
        if (request == null || request.getConnectionId() == null) {
            return WebSocketResponses.status(400, "no requestContext.connectionId in the resume event");
        }
        String connectionId = request.getConnectionId();
        ResumeProtocol.Request parsed;
        try {
            parsed = ResumeProtocol.Request.fromJson(event.getBody());
        } catch (JsonCodec.MalformedJsonException e) {
            resume.refuse(connectionId, e.getMessage());
            return WebSocketResponses.status(400, e.getMessage());
        }
        StreamResume.Served served = resume.resume(connectionId, parsed);
        // One line per resume, for the logs' metric filters and the reconnect run.
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("resume", connectionId);
        line.put("since", parsed.since().isPresent() ? parsed.since().getAsLong() : null);
        line.put("head", served.head());
        line.put("replayed", served.replayed());
        line.put("ended", served.ended());
        if (served.reason() != null) {
            line.put("reason", served.reason());
        }
        log.accept(JsonCodec.write(line));
        // A client that left is no failure; a post that kept failing is, for the route's metrics.
        boolean ok = served.complete() || served.ended() == PostOutcome.GONE;
        return WebSocketResponses.status(ok ? 200 : 502, ok ? null : "resume ended early: " + served.ended());
    }
}
