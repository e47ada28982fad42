package dev.wsfanout.model;

import java.util.Map;

/**
 * The {@code ${Name}} placeholders of statemachine/cells.asl.json, the cross-cell broadcast; filled
 * with {@link DefinitionSubstitutions#apply} by the CDK's global stack and the local cells.
 *
 * @param cellBroadcastFunctionArn the home Region's cellBroadcast function
 * @param cellWaitSeconds          how long one status call waits for a cell's execution to end
 *                                 before the machine asks again (bounds the history: about 7
 *                                 events per cell per call)
 */
public record CellsDefinitionSubstitutions(String cellBroadcastFunctionArn, int cellWaitSeconds) {

    public static final String DEFINITION_FILE = "statemachine/cells.asl.json";
    public static final String CELL_BROADCAST_FUNCTION_ARN = "CellBroadcastFunctionArn";
    public static final String CELL_WAIT_SECONDS = "CellWaitSeconds";
    /** A minute per call: 60 calls an hour per cell, far inside the 25,000 history events. */
    public static final int DEFAULT_CELL_WAIT_SECONDS = 60;

    public Map<String, String> toMap() {
        return Map.of(CELL_BROADCAST_FUNCTION_ARN, cellBroadcastFunctionArn, CELL_WAIT_SECONDS, Integer.toString(cellWaitSeconds));
    }
}
