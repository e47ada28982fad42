package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.wsfanout.aws.LambdaEnvironment;
import dev.wsfanout.fanout.BroadcastTallies;
import dev.wsfanout.fanout.DeliveryAudit;
import dev.wsfanout.model.AuditReport;
import dev.wsfanout.model.AuditRequest;
import dev.wsfanout.model.JsonCodec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * The state machine's audit task: {@code {"broadcastId":"..","recount":false}} in, an
 * {@link AuditReport} out. Polled once per poll interval; asked to recount before a broadcast's
 * deadline is declared passed.
 */
public final class AuditHandler implements RequestStreamHandler {

    private final DeliveryAudit audit;

    public AuditHandler() {
        this(LambdaEnvironment.fromSystem());
    }

    private AuditHandler(LambdaEnvironment env) {
        this(env.clients().dynamoDb(), env);
    }

    private AuditHandler(DynamoDbClient dynamo, LambdaEnvironment env) {
        this(new DeliveryAudit(dynamo, env.config().deliveriesTable(),
                new BroadcastTallies(dynamo, env.config().broadcastsTable(), env.config().deliveriesTable(), Clock.systemUTC())));
    }

    public AuditHandler(DeliveryAudit audit) {
        this.audit = audit;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        AuditRequest request = JsonCodec.read(input, AuditRequest.class);
        AuditReport report = request.recount() ? audit.recount(request.broadcastId()) : audit.poll(request.broadcastId());
        JsonCodec.write(report, output);
    }
}
