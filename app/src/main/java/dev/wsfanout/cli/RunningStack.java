package dev.wsfanout.cli;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a running {@code wsfanout local} tells other terminals: where its endpoints are.
 *
 * @param pid                   the process serving the stack; a file whose process is gone is stale
 * @param stepFunctionsEndpoint for SfnClient's endpointOverride and {@code aws --endpoint-url}
 * @param stateMachineArn       the broadcast state machine
 * @param dynamoDbEndpoint      where the broadcasts table lives (live counters, first/last delivery)
 * @param broadcastsTable       its name
 * @param deliveriesTable       the delivery ledger (the tallies)
 * @param connectionsTable      the connection registry (where connection ids are)
 * @param webSocketUrl          where clients connect
 * @param managementEndpoint    the @connections API
 * @param livePageUrl           the live page
 * @param partitionsTable       each partition's recorded count ({@code census}); null in a file
 *                              written before census existed
 * @param partitionCount        PARTITION_COUNT of the stack; null in such a file (an Integer, so
 *                              that file still reads)
 * @param connectTokenSecret    the key of the stack's connect tokens ({@code wsfanout token} signs with it);
 *                              null when $connect is open. Local only: the file is readable by its owner alone
 * @param cells                 with {@code local --cells N}: each cell as its own stack, while the top level
 *                              names the home (its Step Functions endpoint and the cross-cell state machine);
 *                              null for one stack
 */
public record RunningStack(long pid, String stepFunctionsEndpoint, String stateMachineArn, String dynamoDbEndpoint,
                           String broadcastsTable, String deliveriesTable, String connectionsTable, String webSocketUrl,
                           String managementEndpoint, String livePageUrl, String partitionsTable, Integer partitionCount,
                           String connectTokenSecret, @JsonInclude(JsonInclude.Include.NON_NULL) List<RunningStack> cells) {

    /** One stack, not cells. */
    public RunningStack(long pid, String stepFunctionsEndpoint, String stateMachineArn, String dynamoDbEndpoint,
                        String broadcastsTable, String deliveriesTable, String connectionsTable, String webSocketUrl,
                        String managementEndpoint, String livePageUrl, String partitionsTable, Integer partitionCount,
                        String connectTokenSecret) {
        this(pid, stepFunctionsEndpoint, stateMachineArn, dynamoDbEndpoint, broadcastsTable, deliveriesTable,
                connectionsTable, webSocketUrl, managementEndpoint, livePageUrl, partitionsTable, partitionCount, connectTokenSecret, null);
    }

    /** The home of {@code local --cells}: where the cross-cell state machine runs, and the cells. */
    public static RunningStack home(long pid, String stepFunctionsEndpoint, String crossCellStateMachineArn, List<RunningStack> cells) {
        return new RunningStack(pid, stepFunctionsEndpoint, crossCellStateMachineArn, null, null, null, null, null, null, null,
                null, null, null, List.copyOf(cells));
    }

    /** Whether this is the home of local cells, so broadcasts go through the cross-cell state machine. */
    public boolean crossCell() {
        return cells != null;
    }

    /** Without a connect token secret: a stack whose $connect is open. */
    public RunningStack(long pid, String stepFunctionsEndpoint, String stateMachineArn, String dynamoDbEndpoint,
                        String broadcastsTable, String deliveriesTable, String connectionsTable, String webSocketUrl,
                        String managementEndpoint, String livePageUrl, String partitionsTable, Integer partitionCount) {
        this(pid, stepFunctionsEndpoint, stateMachineArn, dynamoDbEndpoint, broadcastsTable, deliveriesTable,
                connectionsTable, webSocketUrl, managementEndpoint, livePageUrl, partitionsTable, partitionCount, null);
    }

    /** Without the registry's partitions (what send and audit need). */
    public RunningStack(long pid, String stepFunctionsEndpoint, String stateMachineArn, String dynamoDbEndpoint,
                        String broadcastsTable, String deliveriesTable, String connectionsTable, String webSocketUrl,
                        String managementEndpoint, String livePageUrl) {
        this(pid, stepFunctionsEndpoint, stateMachineArn, dynamoDbEndpoint, broadcastsTable, deliveriesTable,
                connectionsTable, webSocketUrl, managementEndpoint, livePageUrl, null, null, null);
    }
}
