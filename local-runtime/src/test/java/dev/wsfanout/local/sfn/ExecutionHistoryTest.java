package dev.wsfanout.local.sfn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History events carry AWS's type names and details members (AWS API reference, "HistoryEvent"):
 * task events name resourceType/resource/region/parameters, retries repeat the task events, and
 * Parallel/inline Map paths record their own events.
 */
class ExecutionHistoryTest {

    private static final TestFunctions FUNCTIONS = new TestFunctions();
    private static final TaskResources RESOURCES = resources();

    private static TaskResources resources() {
        TaskResources.Builder builder = TaskResources.builder().region("eu-west-1");
        FUNCTIONS.all().forEach(builder::function);
        return builder.build();
    }

    @AfterAll
    static void closeFunctions() {
        RESOURCES.functions().values().forEach(f -> f.close());
    }

    private static List<HistoryEvent> historyOf(String definition, String input) throws InterruptedException {
        try (LocalStepFunctions sfn = new LocalStepFunctions(RESOURCES, TimeSource.accelerated(1000), 8)) {
            String machine = sfn.createStateMachine("history", definition, null, null).stateMachineArn();
            String execution = sfn.startExecution(machine, "run", input).executionArn();
            sfn.awaitExecution(execution, Duration.ofSeconds(20));
            return sfn.executionHistory(execution);
        }
    }

    private static List<String> types(List<HistoryEvent> events) {
        return events.stream().map(HistoryEvent::type).toList();
    }

    @Test
    void taskEventsNameTheIntegrationAndCarryParametersAndOutput() throws InterruptedException {
        List<HistoryEvent> events = historyOf("""
                {"QueryLanguage": "JSONata", "StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Arguments": {"FunctionName": "echo", "Payload": {"k": 1}}, "Output": "{% $states.result.Payload %}", "End": true}}}""", "{}");
        assertEquals(List.of("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
                "ExecutionSucceeded"), types(events));
        HistoryEvent scheduled = events.get(2);
        assertEquals("taskScheduledEventDetails", scheduled.detailsName());
        assertEquals("lambda", scheduled.details().get("resourceType"));
        assertEquals("invoke", scheduled.details().get("resource"));
        assertEquals("eu-west-1", scheduled.details().get("region"));
        assertEquals(Map.of("FunctionName", "echo", "Payload", Map.of("k", 1L)), Json.parse((String) scheduled.details().get("parameters"), "parameters"));
        Map<String, Object> taskOutput = Json.asObject(Json.parse((String) events.get(4).details().get("output"), "output"));
        assertEquals(Map.of("k", 1L), taskOutput.get("Payload"));
        assertEquals("{\"k\":1}", events.get(6).details().get("output"));
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).id());
            assertEquals(i, events.get(i).previousEventId());
        }
    }

    @Test
    void retriesRepeatTheTaskEventsAndFailuresCarryErrorAndCause() throws InterruptedException {
        List<HistoryEvent> events = historyOf("""
                {"QueryLanguage": "JSONata", "StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Arguments": {"FunctionName": "fail", "Payload": {"message": "always"}},
                  "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}], "End": true}}}""", "{}");
        assertEquals(List.of("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "TaskScheduled",
                "TaskStarted", "TaskFailed", "ExecutionFailed"), types(events));
        HistoryEvent failed = events.get(7);
        assertEquals("taskFailedEventDetails", failed.detailsName());
        assertEquals("java.lang.IllegalStateException", failed.details().get("error"));
        assertTrue(((String) failed.details().get("cause")).contains("always"));
        assertEquals("executionFailedEventDetails", events.get(8).detailsName());
        assertEquals("java.lang.IllegalStateException", events.get(8).details().get("error"));
    }

    @Test
    void assignmentsAppearOnStateExit() throws InterruptedException {
        List<HistoryEvent> events = historyOf("""
                {"QueryLanguage": "JSONata", "StartAt": "Set", "States": {"Set": {"Type": "Pass", "Assign": {"n": 1, "s": "x"}, "End": true}}}""", "{}");
        HistoryEvent exited = events.get(2);
        assertEquals("PassStateExited", exited.type());
        assertEquals(Map.of("n", "1", "s", "\"x\""), exited.details().get("assignedVariables"));
    }

    @Test
    void parallelAndInlineMapRecordTheirPaths() throws InterruptedException {
        List<HistoryEvent> events = historyOf("""
                {"QueryLanguage": "JSONata", "StartAt": "Both", "States": {
                  "Both": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}], "Next": "Each"},
                  "Each": {"Type": "Map", "Items": [1, 2], "ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}, "End": true}}}""",
                "{}");
        List<String> types = types(events);
        assertEquals(1, types.stream().filter("ParallelStateStarted"::equals).count());
        assertEquals(1, types.stream().filter("ParallelStateSucceeded"::equals).count());
        assertEquals(2, types.stream().filter("MapIterationStarted"::equals).count());
        assertEquals(2, types.stream().filter("MapIterationSucceeded"::equals).count());
        HistoryEvent mapStarted = events.stream().filter(e -> e.type().equals("MapStateStarted")).findFirst().orElseThrow();
        assertEquals(2L, mapStarted.details().get("length"));
        assertTrue(types.indexOf("MapStateSucceeded") < types.indexOf("MapStateExited"));
        assertEquals("ExecutionSucceeded", types.get(types.size() - 1));
    }

    @Test
    void jsonataFailuresRecordEvaluationFailed() throws InterruptedException {
        List<HistoryEvent> events = historyOf("""
                {"QueryLanguage": "JSONata", "StartAt": "Bad", "States": {"Bad": {"Type": "Pass", "Output": "{% $states.input.nope %}", "End": true}}}""",
                "{}");
        assertEquals(List.of("ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed"), types(events));
        assertEquals("Bad", events.get(2).details().get("state"));
        assertEquals("States.QueryEvaluationError", events.get(2).details().get("error"));
        assertTrue(((String) events.get(2).details().get("cause")).contains("Output"));
    }

    @Test
    void aFunctionArnResourceRecordsLambdaFunctionEvents() throws InterruptedException {
        List<HistoryEvent> events = historyOf("""
                {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:echo", "End": true}}}""",
                "{\"x\": 1}");
        assertEquals(List.of("ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"), types(events));
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:echo", events.get(2).details().get("resource"));
        assertEquals("{\"x\":1}", events.get(2).details().get("input"));
        assertEquals("{\"x\":1}", events.get(4).details().get("output"));
    }
}
