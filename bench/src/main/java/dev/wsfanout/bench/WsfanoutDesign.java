package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalDeployment;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** wsfanout itself: StartExecution of the stack's broadcast state machine through the real SfnClient. */
public final class WsfanoutDesign implements BroadcastDesign {

    private final LocalDeployment stack;
    private final SfnClient sfn;
    private final Map<String, String> executionArns = new ConcurrentHashMap<>();

    public WsfanoutDesign(LocalDeployment stack) {
        this.stack = stack;
        this.sfn = SfnClient.builder()
                .endpointOverride(stack.stepFunctionsEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .build();
    }

    @Override
    public String name() {
        return "wsfanout";
    }

    public SfnClient sfn() {
        return sfn;
    }

    /** The execution ARN of the broadcast started with this id. */
    public String executionArn(String broadcastId) {
        String arn = executionArns.get(broadcastId);
        if (arn == null) {
            throw new IllegalArgumentException("no wsfanout execution was started for broadcast " + broadcastId);
        }
        return arn;
    }

    @Override
    public CompletableFuture<String> start(String broadcastId, JsonNode message) {
        String input = JsonCodec.write(Map.of("message", message));
        String arn = sfn.startExecution(r -> r.stateMachineArn(stack.stateMachineArn()).name(broadcastId).input(input)).executionArn();
        executionArns.put(broadcastId, arn);
        return CompletableFuture.supplyAsync(() -> awaitEnd(arn));
    }

    private String awaitEnd(String executionArn) {
        while (true) {
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                if (d.status() != ExecutionStatus.SUCCEEDED) {
                    throw new IllegalStateException("execution " + executionArn + " ended " + d.status() + ": " + d.error() + ": " + d.cause());
                }
                return d.output();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + executionArn, e);
            }
        }
    }

    @Override
    public void close() {
        sfn.close();
    }
}
