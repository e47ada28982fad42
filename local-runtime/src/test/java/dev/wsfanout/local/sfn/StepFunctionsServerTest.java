package dev.wsfanout.local.sfn;

import dev.wsfanout.local.LocalCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.MapRunStatus;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP endpoint driven by the real SfnClient: every call goes through the AWS JSON 1.0 protocol on loopback. */
class StepFunctionsServerTest {

    private static final String ADD_ONE = """
            {"QueryLanguage": "JSONata", "StartAt": "Add", "States": {
              "Add": {"Type": "Pass", "Output": {"n": "{% $states.input.n + 1 %}"}, "Next": "Done"},
              "Done": {"Type": "Succeed"}}}""";
    private static final String WAIT_LONG = """
            {"QueryLanguage": "JSONata", "StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 100000000, "End": true}}}""";
    private static final String DISTRIBUTED = """
            {"QueryLanguage": "JSONata", "StartAt": "Fanout", "States": {"Fanout": {"Type": "Map", "Label": "Batches",
              "Items": "{% [1..$states.input.n] %}", "MaxConcurrency": 3, "ToleratedFailurePercentage": 5,
              "ItemBatcher": {"MaxItemsPerBatch": 10},
              "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Count",
                "States": {"Count": {"Type": "Pass", "Output": "{% $count($states.input.Items) %}", "End": true}}},
              "End": true}}}""";

    private static final String DISTRIBUTED_WAITING = """
            {"QueryLanguage": "JSONata", "StartAt": "Fanout", "States": {"Fanout": {"Type": "Map", "Items": [1, 2, 3], "MaxConcurrency": 2,
              "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Hold",
                "States": {"Hold": {"Type": "Wait", "Seconds": 100000000, "End": true}}},
              "End": true}}}""";

    private static LocalStepFunctions service;
    private static StepFunctionsServer server;
    private static SfnClient sfn;

    @BeforeAll
    static void start() {
        service = new LocalStepFunctions(TaskResources.builder().build(), TimeSource.accelerated(100), 8);
        server = new StepFunctionsServer(service, 0).start();
        sfn = SfnClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .build();
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
        service.close();
    }

    private static String create(String name, String definition) {
        return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn("arn:aws:iam::000000000000:role/sfn"))
                .stateMachineArn();
    }

    private static DescribeExecutionResponse awaitDone(String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (execution.status() != ExecutionStatus.RUNNING || System.nanoTime() > deadline) {
                return execution;
            }
            Thread.sleep(10);
        }
    }

    @Test
    void createsDescribesAndListsStateMachines() {
        CreateStateMachineResponse created = sfn.createStateMachine(b -> b.name("describe-me").definition(ADD_ONE)
                .roleArn("arn:aws:iam::000000000000:role/sfn"));
        assertEquals("arn:aws:states:us-east-1:000000000000:stateMachine:describe-me", created.stateMachineArn());
        assertNotNull(created.creationDate());
        var described = sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
        assertEquals(ADD_ONE, described.definition());
        assertEquals("STANDARD", described.typeAsString());
        assertEquals("ACTIVE", described.statusAsString());
        assertTrue(sfn.listStateMachines(b -> { }).stateMachines().stream().anyMatch(m -> m.name().equals("describe-me")));
        assertEquals(created.stateMachineArn(), create("describe-me", ADD_ONE), "creating the same machine again is idempotent");
    }

    @Test
    void runsAnExecutionToItsOutput() throws InterruptedException {
        String machine = create("add-one", ADD_ONE);
        StartExecutionResponse started = sfn.startExecution(b -> b.stateMachineArn(machine).name("first").input("{\"n\": 41}"));
        assertEquals("arn:aws:states:us-east-1:000000000000:execution:add-one:first", started.executionArn());
        DescribeExecutionResponse done = awaitDone(started.executionArn());
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals("{\"n\":42}", done.output());
        assertEquals("{\"n\": 41}", done.input());
        assertFalse(done.stopDate().isBefore(done.startDate()));
    }

    @Test
    void startExecutionIsIdempotentForTheSameNameAndInputWhileRunning() throws InterruptedException {
        String machine = create("hold", WAIT_LONG);
        StartExecutionResponse first = sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":1}"));
        StartExecutionResponse again = sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":1}"));
        assertEquals(first.executionArn(), again.executionArn());
        assertEquals(first.startDate(), again.startDate());
        assertThrows(ExecutionAlreadyExistsException.class,
                () -> sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":2}")));

        sfn.stopExecution(b -> b.executionArn(first.executionArn()).error("Test.Stop").cause("enough"));
        DescribeExecutionResponse stopped = awaitDone(first.executionArn());
        assertEquals(ExecutionStatus.ABORTED, stopped.status());
        assertEquals("Test.Stop", stopped.error());
        assertThrows(ExecutionAlreadyExistsException.class,
                () -> sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":1}")),
                "a closed execution's name cannot be reused");
        List<HistoryEvent> history = sfn.getExecutionHistory(b -> b.executionArn(first.executionArn())).events();
        HistoryEvent last = history.get(history.size() - 1);
        assertEquals(HistoryEventType.EXECUTION_ABORTED, last.type());
        assertEquals("enough", last.executionAbortedEventDetails().cause());
    }

    @Test
    void rejectsInvalidNamesAndDefinitions() {
        String machine = create("names", ADD_ONE);
        InvalidNameException badName = assertThrows(InvalidNameException.class,
                () -> sfn.startExecution(b -> b.stateMachineArn(machine).name("has space")));
        assertTrue(badName.getMessage().contains("has space"), badName.getMessage());
        InvalidDefinitionException badDefinition = assertThrows(InvalidDefinitionException.class, () -> create("broken", """
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}"""));
        assertTrue(badDefinition.getMessage().contains("/States/A/Next"), badDefinition.getMessage());
        assertThrows(ExecutionDoesNotExistException.class, () -> sfn.describeExecution(
                b -> b.executionArn("arn:aws:states:us-east-1:000000000000:execution:names:never")));
    }

    @Test
    void validatesDefinitionsWithDiagnostics() {
        ValidateStateMachineDefinitionResponse ok = sfn.validateStateMachineDefinition(b -> b.definition(ADD_ONE));
        assertEquals(ValidateStateMachineDefinitionResultCode.OK, ok.result());
        assertTrue(ok.diagnostics().isEmpty());
        ValidateStateMachineDefinitionResponse fail = sfn.validateStateMachineDefinition(b -> b.definition("""
                {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.x", "End": true}}}"""));
        assertEquals(ValidateStateMachineDefinitionResultCode.FAIL, fail.result());
        assertEquals("/States/A/ResultPath", fail.diagnostics().get(0).location());
        assertEquals("SCHEMA_VALIDATION_FAILED", fail.diagnostics().get(0).code());
    }

    @Test
    void pagesHistoryForwardAndBackward() throws InterruptedException {
        String machine = create("paged", ADD_ONE);
        String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"n\": 1}")).executionArn();
        awaitDone(execution);
        List<HistoryEvent> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            GetExecutionHistoryResponse page = sfn.getExecutionHistory(b -> b.executionArn(execution).maxResults(2).nextToken(next));
            assertTrue(page.events().size() <= 2);
            paged.addAll(page.events());
            token = page.nextToken();
            pages++;
        } while (token != null);
        List<HistoryEventType> types = paged.stream().map(HistoryEvent::type).toList();
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
                HistoryEventType.SUCCEED_STATE_ENTERED, HistoryEventType.SUCCEED_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED), types);
        assertEquals(3, pages);
        for (int i = 0; i < paged.size(); i++) {
            assertEquals(i + 1, paged.get(i).id());
            assertEquals(i, paged.get(i).previousEventId());
        }
        assertEquals("{\"n\":2}", paged.get(5).executionSucceededEventDetails().output());
        assertEquals("Add", paged.get(1).stateEnteredEventDetails().name());

        List<HistoryEvent> reversed = sfn.getExecutionHistory(b -> b.executionArn(execution).reverseOrder(true)).events();
        assertEquals(HistoryEventType.EXECUTION_SUCCEEDED, reversed.get(0).type());
        assertEquals(6, reversed.get(0).id());

        HistoryEvent withoutData = sfn.getExecutionHistory(b -> b.executionArn(execution).includeExecutionData(false)).events().get(0);
        assertNull(withoutData.executionStartedEventDetails().input());
    }

    @Test
    void describesADistributedMapRunAndItsChildren() throws InterruptedException {
        String machine = create("fanout", DISTRIBUTED);
        String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"n\": 25}")).executionArn();
        DescribeExecutionResponse done = awaitDone(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals("[10,10,5]", done.output());
        List<HistoryEvent> history = sfn.getExecutionHistory(b -> b.executionArn(execution)).events();
        String mapRunArn = history.stream().filter(e -> e.type() == HistoryEventType.MAP_RUN_STARTED).findFirst().orElseThrow()
                .mapRunStartedEventDetails().mapRunArn();
        assertTrue(mapRunArn.startsWith("arn:aws:states:us-east-1:000000000000:mapRun:fanout/Batches:"), mapRunArn);
        assertTrue(history.stream().noneMatch(e -> e.type() == HistoryEventType.PASS_STATE_ENTERED),
                "child executions keep their events in their own histories");
        assertTrue(history.stream().anyMatch(e -> e.type() == HistoryEventType.MAP_RUN_SUCCEEDED));

        DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
        assertEquals(MapRunStatus.SUCCEEDED, run.status());
        assertEquals(execution, run.executionArn());
        assertEquals(3, run.maxConcurrency());
        assertEquals(5.0f, run.toleratedFailurePercentage());
        assertEquals(25, run.itemCounts().total());
        assertEquals(25, run.itemCounts().succeeded());
        assertEquals(3, run.executionCounts().total());
        assertEquals(3, run.executionCounts().succeeded());

        var children = sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions();
        assertEquals(3, children.size());
        assertTrue(children.stream().allMatch(c -> c.status() == ExecutionStatus.SUCCEEDED && mapRunArn.equals(c.mapRunArn())));
        var childHistory = sfn.getExecutionHistory(b -> b.executionArn(children.get(0).executionArn())).events();
        assertTrue(childHistory.stream().anyMatch(e -> e.type() == HistoryEventType.PASS_STATE_ENTERED));
    }

    @Test
    void stoppingAnExecutionAbortsItsMapRunAndChildren() throws InterruptedException {
        String machine = create("fanout-stopped", DISTRIBUTED_WAITING);
        String execution = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
        String mapRunArn = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mapRunArn == null && System.nanoTime() < deadline) {
            mapRunArn = sfn.getExecutionHistory(b -> b.executionArn(execution)).events().stream()
                    .filter(e -> e.type() == HistoryEventType.MAP_RUN_STARTED).map(e -> e.mapRunStartedEventDetails().mapRunArn())
                    .findFirst().orElse(null);
            Thread.sleep(10);
        }
        assertNotNull(mapRunArn, "the map run started");
        String run = mapRunArn;
        sfn.stopExecution(b -> b.executionArn(execution));
        assertEquals(ExecutionStatus.ABORTED, awaitDone(execution).status());
        MapRunStatus status = MapRunStatus.RUNNING;
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (status == MapRunStatus.RUNNING && System.nanoTime() < deadline) {
            status = sfn.describeMapRun(b -> b.mapRunArn(run)).status();
            Thread.sleep(10);
        }
        assertEquals(MapRunStatus.ABORTED, status);
        DescribeMapRunResponse described = sfn.describeMapRun(b -> b.mapRunArn(run));
        assertEquals(2, described.executionCounts().aborted(), "the two running children were aborted");
        assertEquals(0, described.executionCounts().running());
        assertTrue(sfn.listExecutions(b -> b.mapRunArn(run)).executions().stream().allMatch(c -> c.status() == ExecutionStatus.ABORTED));
    }
}
