package dev.wsfanout.cli;

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
 */
public record RunningStack(long pid, String stepFunctionsEndpoint, String stateMachineArn, String dynamoDbEndpoint,
                           String broadcastsTable, String deliveriesTable, String connectionsTable, String webSocketUrl, String managementEndpoint, String livePageUrl) {
}
