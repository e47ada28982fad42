package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.wsfanout.aws.AwsClients;
import dev.wsfanout.cells.CellBroadcast;
import dev.wsfanout.cells.CellExecutions;
import dev.wsfanout.cells.CellSfnClients;
import dev.wsfanout.cells.CellTask;
import dev.wsfanout.cells.GlobalSequence;
import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The home Region's cellBroadcast function (docs/cells.md): the cross-cell state machine's one way
 * into the cells, because Step Functions' integrations do not cross Regions. Environment:
 * {@code CELLS} (the cell directory's JSON) and {@code HISTORY_TABLE} (the home history table).
 */
public final class CellBroadcastHandler implements RequestStreamHandler {

    private final CellBroadcast cellBroadcast;

    public CellBroadcastHandler() {
        this(System.getenv());
    }

    private CellBroadcastHandler(Map<String, String> env) {
        this(env, FanoutConfig.fromEnv(env), directory(env));
    }

    private CellBroadcastHandler(Map<String, String> env, FanoutConfig config, CellDirectory directory) {
        this(new CellBroadcast(directory, new GlobalSequence(new AwsClients(config, env).dynamoDb(), config.historyTable()),
                CellExecutions.realTime(directory, CellSfnClients.onAws(directory))));
    }

    public CellBroadcastHandler(CellBroadcast cellBroadcast) {
        this.cellBroadcast = cellBroadcast;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        CellTask task = JsonCodec.read(input, CellTask.class);
        try {
            JsonCodec.write(cellBroadcast.run(task), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a cell's broadcast", e);
        }
    }

    private static CellDirectory directory(Map<String, String> env) {
        String cells = env.get(CellDirectory.ENV);
        if (cells == null || cells.isBlank()) {
            throw new IllegalStateException("the cellBroadcast function needs " + CellDirectory.ENV
                    + ": the JSON list of cells the CDK's global stack writes");
        }
        return CellDirectory.fromJson(cells);
    }
}
