package dev.wsfanout.local.sfn;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.local.lambda.LocalFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.ValidationException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AWS quotas the engine enforces, each shown failing with the error AWS reports, driven
 * through the real SfnClient (docs/local-step-functions.md, "Quotas"): 256 KiB payloads
 * (States.DataLimitExceeded; StartExecution's input constraint), 25,000 history events per
 * Standard execution (States.Runtime), 5 minutes per Express child (States.Timeout, on the
 * TimeSource), and the argument checks of the intrinsic functions (States.IntrinsicFailure),
 * States.ArrayRange's 1,000 items and non-zero step among them.
 */
class QuotasTest {

    /** Simulated time 1000x: the 5-minute Express limit is 300 ms of wall clock. */
    private static final TimeSource TIME = TimeSource.accelerated(1000);
    private static final String FIELD_OVERHEAD = "{\"s\":\"\"}";

    private static LocalFunction big;
    private static LocalFunction echo;
    private static LocalStepFunctions service;
    private static StepFunctionsServer server;
    private static SfnClient sfn;
    private static int machines;

    @BeforeAll
    static void start() {
        // big returns {"s": "xxx..."} of event.bytes bytes of JSON text from a small event
        big = LocalFunction.ofStream("big", (RequestStreamHandler) (in, out, context) -> {
            long bytes = ((Number) Json.asObject(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "event")).get("bytes")).longValue();
            out.write(("{\"s\":\"" + "x".repeat((int) bytes - FIELD_OVERHEAD.length()) + "\"}").getBytes(StandardCharsets.UTF_8));
        }, 10, Duration.ofSeconds(30));
        echo = LocalFunction.ofStream("echo", (RequestStreamHandler) (in, out, context) -> out.write(in.readAllBytes()), 10,
                Duration.ofSeconds(30));
        service = new LocalStepFunctions(TaskResources.builder().function(big).function(echo).build(), TIME, 8);
        server = new StepFunctionsServer(service, 0).start();
        sfn = client(server);
    }

    private static SfnClient client(StepFunctionsServer on) {
        return SfnClient.builder()
                .endpointOverride(on.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .build();
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
        service.close();
        big.close();
        echo.close();
    }

    private static String create(SfnClient client, String definition, String type) {
        String name = "quota-" + (++machines);
        return client.createStateMachine(b -> b.name(name).definition(definition).type(type)
                .roleArn("arn:aws:iam::000000000000:role/sfn")).stateMachineArn();
    }

    private static DescribeExecutionResponse run(SfnClient client, String definition, String type, String input)
            throws InterruptedException {
        String machine = create(client, definition, type);
        String execution = client.startExecution(b -> b.stateMachineArn(machine).input(input)).executionArn();
        return awaitDone(client, execution);
    }

    private static DescribeExecutionResponse run(String definition, String input) throws InterruptedException {
        return run(sfn, definition, "STANDARD", input);
    }

    private static DescribeExecutionResponse awaitDone(SfnClient client, String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            DescribeExecutionResponse execution = client.describeExecution(b -> b.executionArn(executionArn));
            if (execution.status() != ExecutionStatus.RUNNING || System.nanoTime() > deadline) {
                return execution;
            }
            Thread.sleep(10);
        }
    }

    private static List<HistoryEvent> history(SfnClient client, String executionArn) {
        return client.getExecutionHistoryPaginator(b -> b.executionArn(executionArn).maxResults(1000)).events().stream().toList();
    }

    private static List<HistoryEventType> types(List<HistoryEvent> events) {
        return events.stream().map(HistoryEvent::type).toList();
    }

    /** A JSON string value whose text takes {@code bytes} UTF-8 bytes, built of 2-byte characters. */
    private static String twoByteText(int bytes) {
        return "é".repeat(bytes / 2);
    }

    // ---- payload: 262,144 UTF-8 bytes ------------------------------------------------------------

    @Test
    void startExecutionRefusesAnInputOverTheQuotaCountedInUtf8Bytes() throws InterruptedException {
        String machine = create(sfn, """
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "ok", "End": true}}}""", "STANDARD");
        // 131,069 two-byte characters plus {"s":""}: 262,146 bytes but only 131,077 characters
        String over = "{\"s\":\"" + twoByteText(262_138) + "\"}";
        assertEquals(262_146, over.getBytes(StandardCharsets.UTF_8).length);
        ValidationException refused = assertThrows(ValidationException.class,
                () -> sfn.startExecution(b -> b.stateMachineArn(machine).input(over)));
        assertTrue(refused.getMessage().contains("1 validation error detected: Value at 'input' failed to satisfy constraint: "
                + "Member must have length less than or equal to 262144"), refused.getMessage());

        String atLimit = "{\"s\":\"" + twoByteText(262_136) + "\"}";
        assertEquals(262_144, atLimit.getBytes(StandardCharsets.UTF_8).length);
        String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input(atLimit)).executionArn();
        assertEquals(ExecutionStatus.SUCCEEDED, awaitDone(sfn, execution).status(), "exactly 262,144 bytes is within the quota");
    }

    @Test
    void aStateOutputOverTheQuotaFailsTheExecutionAndNoCatchHandlesIt() throws InterruptedException {
        // the task result (about 150 KB) is within the quota; ResultPath adds it to the 150 KB input, so the state output is not
        DescribeExecutionResponse done = run("""
                {"StartAt": "Call", "States": {
                  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "big", "Payload": {"bytes": 150000}}, "ResultSelector": {"s.$": "$.Payload.s"},
                    "ResultPath": "$.result", "Next": "Done",
                    "Catch": [{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "Caught"}, {"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
                  "Caught": {"Type": "Pass", "End": true},
                  "Done": {"Type": "Succeed"}}}""", "{\"pad\":\"" + "y".repeat(150_000) + "\"}");
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("States.DataLimitExceeded", done.error());
        assertEquals("The state/task 'Call' returned a result with a size exceeding the maximum number of bytes service limit.", done.cause());
        List<HistoryEvent> events = history(sfn, done.executionArn());
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED,
                HistoryEventType.TASK_STARTED, HistoryEventType.TASK_SUCCEEDED, HistoryEventType.EXECUTION_FAILED), types(events),
                "no TaskStateExited and no catcher: the execution fails where the output was too large");
        HistoryEvent failed = events.get(5);
        assertEquals("States.DataLimitExceeded", failed.executionFailedEventDetails().error());
        assertEquals(done.cause(), failed.executionFailedEventDetails().cause());
        assertEquals(5, failed.previousEventId());
    }

    @Test
    void aPassStateOutputOverTheQuotaFailsRightAfterItsEnteredEvent() throws InterruptedException {
        // AWS's recorded history for this case: ExecutionStarted, PassStateEntered, ExecutionFailed
        DescribeExecutionResponse done = run("""
                {"StartAt": "Twice", "States": {"Twice": {"Type": "Pass", "Parameters": {"a.$": "$.s", "b.$": "$.s"}, "End": true}}}""",
                "{\"s\":\"" + "z".repeat(140_000) + "\"}");
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("States.DataLimitExceeded", done.error());
        assertEquals("The state/task 'Twice' returned a result with a size exceeding the maximum number of bytes service limit.", done.cause());
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.EXECUTION_FAILED),
                types(history(sfn, done.executionArn())));
    }

    @Test
    void aTaskInputOverTheQuotaAfterParametersFailsBeforeTheTaskIsScheduled() throws InterruptedException {
        DescribeExecutionResponse done = run("""
                {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "echo", "Payload": {"a.$": "$.s", "b.$": "$.s"}},
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
                  "Caught": {"Type": "Pass", "End": true}}}""", "{\"s\":\"" + "z".repeat(140_000) + "\"}");
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("States.DataLimitExceeded", done.error());
        assertEquals("The state/task 'Call' returned a result with a size exceeding the maximum number of bytes service limit.", done.cause());
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.EXECUTION_FAILED),
                types(history(sfn, done.executionArn())));
    }

    @Test
    void aTaskResultOverTheQuotaIsATaskFailureThatStatesAllCatches() throws InterruptedException {
        // as AWS recorded it (localstack's AWS-validated snapshot, 2024-03-21): TaskFailed, then the States.ALL catcher
        DescribeExecutionResponse done = run("""
                {"StartAt": "Call", "States": {
                  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "big", "Payload": {"bytes": 262145}}, "Next": "Done",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
                  "Caught": {"Type": "Pass", "End": true},
                  "Done": {"Type": "Succeed"}}}""", "{}");
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());
        String cause = "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.";
        assertEquals(Map.of("Error", "States.DataLimitExceeded", "Cause", cause), Json.parse(done.output(), "output"));
        List<HistoryEvent> events = history(sfn, done.executionArn());
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED,
                HistoryEventType.TASK_STARTED, HistoryEventType.TASK_FAILED, HistoryEventType.TASK_STATE_EXITED,
                HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED), types(events));
        HistoryEvent taskFailed = events.get(4);
        assertEquals("States.DataLimitExceeded", taskFailed.taskFailedEventDetails().error());
        assertEquals(cause, taskFailed.taskFailedEventDetails().cause());
        assertEquals("lambda", taskFailed.taskFailedEventDetails().resourceType());
        assertEquals("invoke", taskFailed.taskFailedEventDetails().resource());
    }

    @Test
    void aFunctionArnTaskResultOverTheQuotaNamesTheFunctionInLambdaFunctionFailed() throws InterruptedException {
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:big";
        DescribeExecutionResponse done = run("""
                {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "%s", "End": true}}}""".formatted(arn),
                "{\"bytes\": 300000}");
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("States.DataLimitExceeded", done.error());
        String cause = "The state/task '" + arn + "' returned a result with a size exceeding the maximum number of bytes service limit.";
        assertEquals(cause, done.cause());
        List<HistoryEvent> events = history(sfn, done.executionArn());
        HistoryEvent failed = events.stream().filter(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED).findFirst().orElseThrow();
        assertEquals(cause, failed.lambdaFunctionFailedEventDetails().cause());
    }

    // ---- history: 25,000 events per Standard execution ----------------------------------------------

    private static final String SPIN = """
            {"StartAt": "Loop", "States": {
              "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "BooleanEquals": true, "Next": "Done"}], "Default": "Loop"},
              "Done": {"Type": "Succeed"}}}""";

    @Test
    void aStandardExecutionFailsAsItsHistoryReaches25000Events() throws InterruptedException {
        DescribeExecutionResponse done = run(SPIN, "{\"stop\": false}");
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("States.Runtime", done.error());
        assertEquals("The execution reached the maximum number of history events (25000).", done.cause());
        List<HistoryEvent> events = history(sfn, done.executionArn());
        assertEquals(25_000, events.size());
        HistoryEvent last = events.get(24_999);
        assertEquals(25_000, last.id(), "event 25,000 is the failure itself");
        assertEquals(24_999, last.previousEventId());
        assertEquals(HistoryEventType.EXECUTION_FAILED, last.type());
        assertEquals("States.Runtime", last.executionFailedEventDetails().error());
        assertEquals(done.cause(), last.executionFailedEventDetails().cause());
        assertEquals(HistoryEventType.CHOICE_STATE_EXITED, events.get(24_998).type(), "24,999 is the last event the machine produced");
    }

    /** Counts to {@code n} with two states (4 events) per step: n = 6,300 writes 25,204 events. */
    private static final String COUNT = """
            {"StartAt": "Inc", "States": {
              "Inc": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)", "to.$": "$.to"}, "Next": "Enough?"},
              "Enough?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.to", "Next": "Done"}],
                "Default": "Inc"},
              "Done": {"Type": "Succeed"}}}""";

    @Test
    void expressExecutionsHaveNoHistoryLimit() throws InterruptedException {
        // real time here: at 1000x the run's second of wall clock would be more than its 5 Express minutes
        try (LocalStepFunctions realTime = new LocalStepFunctions(TaskResources.builder().build(), TimeSource.system(), 4);
             StepFunctionsServer realTimeServer = new StepFunctionsServer(realTime, 0).start();
             SfnClient client = client(realTimeServer)) {
            DescribeExecutionResponse done = run(client, COUNT, "EXPRESS", "{\"n\": 0, \"to\": 6300}");
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());
            assertEquals(1 + 6300 * 4 + 2 + 1, history(client, done.executionArn()).size());
        }
    }

    @Test
    void aBenchmarkMayLiftTheHistoryLimitOnlyByNamingWhy() throws InterruptedException {
        assertThrows(IllegalArgumentException.class, () -> Quotas.aws().without(Quotas.Quota.HISTORY_EVENTS, " "));
        Quotas lifted = Quotas.aws().without(Quotas.Quota.HISTORY_EVENTS, "QuotasTest: shows the switch");
        assertFalse(lifted.enforces(Quotas.Quota.HISTORY_EVENTS));
        assertTrue(lifted.enforces(Quotas.Quota.PAYLOAD_SIZE));
        assertTrue(lifted.toString().contains("QuotasTest: shows the switch"), lifted.toString());
        try (LocalStepFunctions unlimited = new LocalStepFunctions(TaskResources.builder().build(), TIME, 4, lifted);
             StepFunctionsServer unlimitedServer = new StepFunctionsServer(unlimited, 0).start();
             SfnClient client = client(unlimitedServer)) {
            DescribeExecutionResponse done = run(client, COUNT, "STANDARD", "{\"n\": 0, \"to\": 6300}");
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());
            assertEquals(25_204, history(client, done.executionArn()).size());
        }
        DescribeExecutionResponse limited = run(COUNT, "{\"n\": 0, \"to\": 6300}");
        assertEquals(ExecutionStatus.FAILED, limited.status(), "the same execution under AWS's quotas");
        assertEquals("States.Runtime", limited.error());
    }

    // ---- Express children: 5 minutes -----------------------------------------------------------------

    @Test
    void anExpressChildTimesOutAfterFiveMinutesOfTheTimeSource() throws InterruptedException {
        DescribeExecutionResponse done = run("""
                {"StartAt": "Fanout", "States": {"Fanout": {"Type": "Map", "Label": "Slow", "ItemsPath": "$.items",
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Hold",
                    "States": {"Hold": {"Type": "Wait", "Seconds": 100000, "End": true}}},
                  "End": true}}}""", "{\"items\": [1]}");
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("States.ExceedToleratedFailureThreshold", done.error());
        String mapRunArn = history(sfn, done.executionArn()).stream().filter(e -> e.type() == HistoryEventType.MAP_RUN_STARTED)
                .findFirst().orElseThrow().mapRunStartedEventDetails().mapRunArn();
        DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
        assertEquals(1, run.executionCounts().timedOut());
        assertEquals(1, run.itemCounts().timedOut());
        assertEquals(0, run.executionCounts().failed());

        ExecutionListItem child = sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions().get(0);
        assertEquals(ExecutionStatus.TIMED_OUT, child.status());
        DescribeExecutionResponse described = sfn.describeExecution(b -> b.executionArn(child.executionArn()));
        assertEquals("States.Timeout", described.error());
        Duration ran = Duration.between(described.startDate(), described.stopDate());
        assertTrue(ran.compareTo(Duration.ofMinutes(5)) >= 0 && ran.compareTo(Duration.ofMinutes(6)) < 0, "simulated run time " + ran);
        List<HistoryEvent> events = history(sfn, child.executionArn());
        HistoryEvent last = events.get(events.size() - 1);
        assertEquals(HistoryEventType.EXECUTION_TIMED_OUT, last.type());
        assertEquals("States.Timeout", last.executionTimedOutEventDetails().error());
    }

    @Test
    void standardExecutionsMayRunLongerThanFiveMinutes() throws InterruptedException {
        DescribeExecutionResponse done = run("""
                {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 400, "End": true}}}""", "{}");
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());
    }

    // ---- intrinsic functions: argument checks --------------------------------------------------------

    @Test
    void arrayRangeMakesAtMost1000ElementsAndRoundsFractions() throws InterruptedException {
        DescribeExecutionResponse done = run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
                  "full.$": "States.ArrayLength(States.ArrayRange(1, 1000, 1))",
                  "down.$": "States.ArrayRange(5, 1, -2)", "rounded.$": "States.ArrayRange(0.6, 3.4, 1)",
                  "empty.$": "States.ArrayRange(5, 1, 1)"}, "End": true}}}""", "{}");
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());
        assertEquals(Map.of("full", 1000L, "down", List.of(5L, 3L, 1L), "rounded", List.of(1L, 2L, 3L), "empty", List.of()),
                Json.parse(done.output(), "output"));
    }

    /** ArrayRange's documented limits: at most 1,000 items, and a step of 0 (which never reaches the end) is refused. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            States.ArrayRange(1, 9, 0)                       | the step of States.ArrayRange (the third argument) must not be 0
            States.ArrayRange(5, 1, 0)                       | the step of States.ArrayRange (the third argument) must not be 0
            States.ArrayRange(1, 1001, 1)                    | the result of States.ArrayRange cannot contain more than 1000 items; it would have 1001
            States.ArrayRange(0, 10000, 10)                  | the result of States.ArrayRange cannot contain more than 1000 items; it would have 1001
            States.ArrayRange(1000, -1000, -1)               | cannot contain more than 1000 items; it would have 2001
            States.ArrayRange(-9000000000000000000, 9000000000000000000, 1) | it would have 18000000000000000001
            """)
    void arrayRangeLimitsFailWithStatesIntrinsicFailure(String call, String why) throws InterruptedException {
        assertIntrinsicFails(call, "States.IntrinsicFailure", why);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            States.ArrayRange(1, 'x', 1)                     | the second argument of States.ArrayRange must be an integer, got string
            States.ArrayRange(1, 9)                          | States.ArrayRange takes 3 arguments, got 2
            States.ArrayPartition($.xs, 0)                   | the chunk size of States.ArrayPartition must be a positive integer, got 0
            States.ArrayPartition($.text, 2)                 | the first argument of States.ArrayPartition must be an array, got string
            States.ArrayGetItem($.xs, 3)                     | the index 3 is out of bounds of an array of 3 element(s)
            States.ArrayGetItem($.xs, -1)                    | the index of States.ArrayGetItem must be a non-negative integer, got -1
            States.ArrayGetItem($.xs, 1.5)                   | the index of States.ArrayGetItem must be a non-negative integer, got 1.5
            States.ArrayLength($.text)                       | the first argument of States.ArrayLength must be an array, got string
            States.Hash($.text, 'SHA-224')                   | the algorithm of States.Hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got 'SHA-224'
            States.Hash($.long, 'MD5')                       | the input of States.Hash must be 10000 characters or fewer, got 10001
            States.Base64Encode($.long)                      | the input of States.Base64Encode must be 10000 characters or fewer, got 10001
            States.Base64Decode('not base64!')               | the argument of States.Base64Decode is not base64
            States.JsonMerge($.a, $.a, true)                 | the third argument of States.JsonMerge must be false (deep merging is not supported), got true
            States.JsonMerge($.a, $.xs, false)               | the second argument of States.JsonMerge must be a JSON object, got array
            States.MathRandom(10, 1)                         | the start of States.MathRandom (10) is greater than its end (1)
            States.MathAdd(1)                                | States.MathAdd takes 2 arguments, got 1
            States.StringSplit($.xs, ',')                    | the first argument of States.StringSplit must be a string, got array
            States.Format('{} and {}', 1)                    | States.Format has 2 {} placeholder(s) but 1 value(s) to put in them
            States.UUID(1)                                   | States.UUID takes 0 arguments, got 1
            """)
    void intrinsicArgumentChecksFailWithStatesIntrinsicFailure(String call, String why) throws InterruptedException {
        assertIntrinsicFails(call, "States.IntrinsicFailure", why);
    }

    /** {@code call} fails the execution with {@code error}, a cause naming the call, and {@code why} in it. */
    private static void assertIntrinsicFails(String call, String error, String why) throws InterruptedException {
        DescribeExecutionResponse done = runIntrinsic(call);
        assertEquals(ExecutionStatus.FAILED, done.status(), call);
        assertEquals(error, done.error(), call);
        assertTrue(done.cause().startsWith("Invalid arguments in " + call + ": "), done.cause());
        assertTrue(done.cause().contains(why), done.cause());
    }

    /** Runs a Pass state whose Parameters hold {@code call}, on an input with arrays, strings and an object to pass it. */
    private static DescribeExecutionResponse runIntrinsic(String call) throws InterruptedException {
        String definition = Json.write(Map.of("StartAt", "P", "States", Map.of("P", Map.of("Type", "Pass",
                "Parameters", Map.of("v.$", call), "End", true))));
        return run(definition, Json.write(Map.of("xs", List.of(1, 2, 3), "text", "abc",
                "long", "l".repeat(10_001), "a", Map.of("k", 1))));
    }
}
