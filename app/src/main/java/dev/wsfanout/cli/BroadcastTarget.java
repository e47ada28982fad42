package dev.wsfanout.cli;

import dev.wsfanout.fanout.BroadcastTallies;
import dev.wsfanout.local.LocalCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * Where broadcasts go: a state machine behind an SfnClient, on the local stack or on AWS. Locally
 * the broadcasts table is readable too, for live counters and the first/last delivery times.
 */
public final class BroadcastTarget implements AutoCloseable {

    private final SfnClient sfn;
    private final String stateMachineArn;
    private final DynamoDbClient dynamo;
    private final BroadcastRecords records;

    private BroadcastTarget(SfnClient sfn, String stateMachineArn, DynamoDbClient dynamo, BroadcastRecords records) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
        this.dynamo = dynamo;
        this.records = records;
    }

    /** The local stack's endpoints; the stand-ins accept any credentials, so fixed dummy ones are used. */
    public static BroadcastTarget local(URI stepFunctionsEndpoint, String stateMachineArn, URI dynamoDbEndpoint,
                                        String broadcastsTable, String deliveriesTable) {
        SfnClient sfn = localSfn(stepFunctionsEndpoint);
        DynamoDbClient dynamo = localDynamo(dynamoDbEndpoint);
        return new BroadcastTarget(sfn, stateMachineArn, dynamo, new BroadcastRecords(
                new BroadcastTallies(dynamo, broadcastsTable, deliveriesTable, Clock.systemUTC())));
    }

    /** A local state machine alone (the cross-cell one, whose home has no broadcasts table). */
    public static BroadcastTarget localStateMachine(URI stepFunctionsEndpoint, String stateMachineArn) {
        return new BroadcastTarget(localSfn(stepFunctionsEndpoint), stateMachineArn, null, null);
    }

    private static SfnClient localSfn(URI stepFunctionsEndpoint) {
        return SfnClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(stepFunctionsEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .build();
    }

    /** A client of the local stack's DynamoDB stand-in. */
    static DynamoDbClient localDynamo(URI dynamoDbEndpoint) {
        return DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(dynamoDbEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .build();
    }

    public static BroadcastTarget local(RunningStack stack) {
        return local(URI.create(stack.stepFunctionsEndpoint()), stack.stateMachineArn(),
                URI.create(stack.dynamoDbEndpoint()), stack.broadcastsTable(), stack.deliveriesTable());
    }

    public static BroadcastTarget aws(SfnClient sfn, String stateMachineArn) {
        return new BroadcastTarget(sfn, stateMachineArn, null, null);
    }

    public SfnClient sfn() {
        return sfn;
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    public boolean isLocal() {
        return records != null;
    }

    /** The broadcasts table, readable only on the local stack. */
    public Optional<BroadcastRecords> records() {
        return Optional.ofNullable(records);
    }

    /**
     * The execution ARN for a broadcast id (the execution name) or an ARN given as is:
     * {@code arn:aws:states:R:A:stateMachine:M} becomes {@code arn:aws:states:R:A:execution:M:NAME}.
     */
    public String executionArn(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        return stateMachineArn.replaceFirst(":stateMachine:", ":execution:") + ":" + nameOrArn;
    }

    @Override
    public void close() {
        sfn.close();
        if (dynamo != null) {
            dynamo.close();
        }
    }
}
