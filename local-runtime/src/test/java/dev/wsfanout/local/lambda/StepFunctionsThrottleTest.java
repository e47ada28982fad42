package dev.wsfanout.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.wsfanout.local.sfn.ExecutionDescription;
import dev.wsfanout.local.sfn.ExecutionStatus;
import dev.wsfanout.local.sfn.HistoryEvent;
import dev.wsfanout.local.sfn.LocalStepFunctions;
import dev.wsfanout.local.sfn.TaskResources;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Lambda task throttled by the account concurrency fails with Lambda.TooManyRequestsException,
 * which a Retry on it (as in statemachine/broadcast.asl.json) retries as on AWS.
 */
class StepFunctionsThrottleTest {

    private static String definition(boolean retry) {
        return """
                {"StartAt": "Q", "States": {"Q": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "q", "Payload": {"x": 1}}, "OutputPath": "$.Payload",
                """ + (retry ? """
                  "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 4, "BackoffRate": 2}],
                """ : "") + """
                  "End": true}}}
                """;
    }

    @Test
    void aThrottledTaskFailsWithLambdaTooManyRequestsException() throws Exception {
        LambdaAccount account = new LambdaAccount(1);
        assertTrue(account.tryAcquire(), "another function holds the account's only slot");
        try (LocalFunction q = LocalFunction.of("q", (RequestHandler<Object, String>) (in, c) -> "ran", Object.class, 5,
                Duration.ofSeconds(5)).inAccount(account);
             LocalStepFunctions sfn = new LocalStepFunctions(TaskResources.builder().function(q).build())) {
            String machine = sfn.createStateMachine("throttled", definition(false), null, null).stateMachineArn();
            ExecutionDescription done = sfn.awaitExecution(
                    sfn.startExecution(machine, "no-retry", "{}").executionArn(), Duration.ofSeconds(20));

            assertEquals(ExecutionStatus.FAILED, done.status());
            assertEquals("Lambda.TooManyRequestsException", done.error());
            assertTrue(done.cause().contains("Rate Exceeded."), done.cause());
        }
    }

    @Test
    void theRetryOnItSucceedsOnceTheAccountHasRoom() throws Exception {
        LambdaAccount account = new LambdaAccount(1);
        assertTrue(account.tryAcquire());
        try (LocalFunction q = LocalFunction.of("q", (RequestHandler<Object, String>) (in, c) -> "ran", Object.class, 5,
                Duration.ofSeconds(5)).inAccount(account);
             LocalStepFunctions sfn = new LocalStepFunctions(TaskResources.builder().function(q).build())) {
            String machine = sfn.createStateMachine("retried", definition(true), null, null).stateMachineArn();
            String execution = sfn.startExecution(machine, "retry", "{}").executionArn();
            Thread.sleep(1_500);
            account.release();
            ExecutionDescription done = sfn.awaitExecution(execution, Duration.ofSeconds(20));

            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.toString());
            assertEquals("\"ran\"", done.output());
            List<HistoryEvent> history = sfn.executionHistory(execution);
            long failed = history.stream().filter(e -> e.type().equals("TaskFailed")).count();
            assertTrue(failed >= 1, "throttled at least once before the retry succeeded: " + failed);
            assertTrue(account.throttles() >= 1);
        }
    }
}
