package dev.wsfanout.local.sfn;

import java.util.Map;

/**
 * The history events of one task call. Service integrations record Task* events; a Lambda
 * function ARN used directly as Resource records the older LambdaFunction* events (AWS API
 * reference, "HistoryEvent").
 */
interface TaskEvents {

    static TaskEvents of(TaskResource resource, String region) {
        return resource.isLambdaFunctionArn() ? new LambdaFunctionEvents(resource) : new IntegrationEvents(resource, region);
    }

    void scheduled(HistoryCursor cursor, Object arguments, Long timeoutSeconds);

    void succeeded(HistoryCursor cursor, Object result);

    void failed(HistoryCursor cursor, StatesError error);

    /** TaskScheduled, TaskStarted, TaskSucceeded/TaskFailed/TaskTimedOut with resourceType and resource. */
    record IntegrationEvents(TaskResource resource, String region) implements TaskEvents {

        @Override
        public void scheduled(HistoryCursor cursor, Object arguments, Long timeoutSeconds) {
            cursor.record("TaskScheduled", "taskScheduledEventDetails", "resourceType", resource.resourceType(),
                    "resource", resource.action(), "region", region, "parameters", Json.write(arguments), "timeoutInSeconds", timeoutSeconds);
            cursor.record("TaskStarted", "taskStartedEventDetails", "resourceType", resource.resourceType(), "resource", resource.action());
        }

        @Override
        public void succeeded(HistoryCursor cursor, Object result) {
            cursor.record("TaskSucceeded", "taskSucceededEventDetails", "resourceType", resource.resourceType(),
                    "resource", resource.action(), "output", Json.write(result), "outputDetails", Map.of("truncated", false));
        }

        @Override
        public void failed(HistoryCursor cursor, StatesError error) {
            boolean timedOut = StatesError.TIMEOUT.equals(error.error());
            cursor.record(timedOut ? "TaskTimedOut" : "TaskFailed", timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails",
                    "resourceType", resource.resourceType(), "resource", resource.action(), "error", error.error(), "cause", error.cause());
        }
    }

    /** LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded/Failed/TimedOut. */
    record LambdaFunctionEvents(TaskResource resource) implements TaskEvents {

        @Override
        public void scheduled(HistoryCursor cursor, Object arguments, Long timeoutSeconds) {
            cursor.record("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", "resource", resource.arn(),
                    "input", Json.write(arguments), "inputDetails", Map.of("truncated", false), "timeoutInSeconds", timeoutSeconds);
            cursor.record("LambdaFunctionStarted", null);
        }

        @Override
        public void succeeded(HistoryCursor cursor, Object result) {
            cursor.record("LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails", "output", Json.write(result),
                    "outputDetails", Map.of("truncated", false));
        }

        @Override
        public void failed(HistoryCursor cursor, StatesError error) {
            boolean timedOut = StatesError.TIMEOUT.equals(error.error());
            cursor.record(timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed",
                    timedOut ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails",
                    "error", error.error(), "cause", error.cause());
        }
    }
}
