package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.wsfanout.aws.LambdaEnvironment;
import dev.wsfanout.fanout.BatchQuery;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.model.PartitionBatch;
import dev.wsfanout.model.QueryResult;

import java.io.InputStream;
import java.time.Clock;
import java.io.OutputStream;

/**
 * A Distributed Map child: {@code {"Items":[partition ids],"BatchInput":{"broadcastId"}}}
 * in, {@code {"partitions","connections","chunks"}} out. A stream handler, so the batch is read
 * with wsfanout's own JSON mapping (the ItemBatcher's capitalised field names included).
 */
public final class QueryHandler implements RequestStreamHandler {

    private final BatchQuery query;

    public QueryHandler() {
        this(LambdaEnvironment.fromSystem());
    }

    private QueryHandler(LambdaEnvironment env) {
        this(new BatchQuery(env.clients().dynamoDbAsync(), env.clients().sqsAsync(), env.config(), Clock.systemUTC()));
    }

    public QueryHandler(BatchQuery query) {
        this.query = query;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        PartitionBatch batch = JsonCodec.read(input, PartitionBatch.class);
        QueryResult result = query.run(batch);
        JsonCodec.write(result, output);
    }
}
