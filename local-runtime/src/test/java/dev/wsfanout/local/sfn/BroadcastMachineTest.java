package dev.wsfanout.local.sfn;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.local.ProjectHome;
import dev.wsfanout.local.dynamo.DynaliteServer;
import dev.wsfanout.local.dynamo.LocalTables;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.model.DefinitionSubstitutions;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.FanoutSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * wsfanout's own state machine (statemachine/broadcast.asl.json, substitutions filled as the local
 * stack fills them) on the engine, with its DynamoDB tasks going to a real dynalite and a stand-in
 * query function that "delivers" by bumping a delivered counter on the broadcast record, and a
 * stand-in audit function that reports that counter (and, for a recount, every chunk as queued).
 */
class BroadcastMachineTest {

    private static final int WORKER_LIMIT = 16;

    private static DynaliteServer dynalite;
    private static DynamoDbClient dynamo;
    private static String file;
    private static final AtomicInteger running = new AtomicInteger();
    private static final AtomicInteger peak = new AtomicInteger();
    private static final AtomicInteger invocations = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        dynalite = DynaliteServer.start();
        dynamo = DynamoDbClient.builder().endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER).build();
        FanoutSchema tables = FanoutSchema.of(FanoutConfig.fromEnv(Map.of(FanoutConfig.BROADCASTS_TABLE, "broadcasts",
                FanoutConfig.HISTORY_TABLE, "history")));
        LocalTables.create(dynamo, List.of(tables.broadcasts(), tables.history()));
        file = Files.readString(ProjectHome.locate().resolve("statemachine/broadcast.asl.json"));
    }

    /** The definition as the local stack fills it, with a delivery deadline of {@code deadlineSeconds}. */
    private static String definition(int deadlineSeconds) {
        return DefinitionSubstitutions.apply(file, new DefinitionSubstitutions.Values(
                "arn:aws:lambda:us-east-1:000000000000:function:query",
                "arn:aws:lambda:us-east-1:000000000000:function:audit",
                "broadcasts", "history", 2500, 1000, 0, deadlineSeconds, 1).toMap());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        dynalite.close();
    }

    /** What the stand-in query function does with its batch. */
    private enum Query { DELIVER, FAIL, QUEUE_ONLY }

    /** Two connections per partition; DELIVER "delivers" them at once, QUEUE_ONLY leaves them undelivered. */
    private static LocalFunction query(Query behaviour) {
        RequestStreamHandler handler = (in, out, context) -> {
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            invocations.incrementAndGet();
            try {
                Map<String, Object> event = Json.asObject(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "event"));
                if (behaviour == Query.FAIL) {
                    throw new IllegalStateException("query failed on purpose");
                }
                int partitions = Json.asArray(event.get("Items")).size();
                String broadcastId = (String) Json.asObject(event.get("BatchInput")).get("broadcastId");
                if (behaviour == Query.DELIVER) {
                    dynamo.updateItem(b -> b.tableName("broadcasts").key(Map.of(FanoutSchema.BROADCAST_ID, AttributeValue.fromS(broadcastId)))
                            .updateExpression("ADD delivered :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromN(String.valueOf(2 * partitions)))));
                }
                out.write(Json.writeBytes(Map.of("partitions", partitions, "connections", 2 * partitions, "chunks", 1)));
            } finally {
                running.decrementAndGet();
            }
        };
        return LocalFunction.ofStream("query", handler, 1000, Duration.ofSeconds(30));
    }

    /** Reports the record's delivered counter; a recount finds every one of the 250 chunks still queued. */
    private static LocalFunction audit() {
        RequestStreamHandler handler = (in, out, context) -> {
            Map<String, Object> event = Json.asObject(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "event"));
            String broadcastId = (String) event.get("broadcastId");
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName("broadcasts")
                    .key(Map.of(FanoutSchema.BROADCAST_ID, AttributeValue.fromS(broadcastId))).consistentRead(true)).item();
            long delivered = item.containsKey("delivered") ? Long.parseLong(item.get("delivered").n()) : 0;
            boolean recount = Boolean.TRUE.equals(event.get("recount"));
            Map<String, Object> report = new java.util.LinkedHashMap<>(Map.of("delivered", delivered, "gone", 0, "failed", 0, "retried", 0,
                    "planned", recount ? 5000 : -1, "complete", false, "unsettledChunks", recount ? 250 : 0,
                    "unsettledConnections", recount ? 5000 - delivered : 0,
                    "unsettled", recount ? java.util.List.of(Map.of("chunkId", "b1-c0", "connections", 20, "state", "queued")) : java.util.List.of()));
            out.write(Json.writeBytes(report));
        };
        return LocalFunction.ofStream("audit", handler, 10, Duration.ofSeconds(30));
    }

    private static ExecutionDescription run(Query behaviour, String machineName, String executionName, String input)
            throws InterruptedException {
        return run(behaviour, 600, machineName, executionName, input);
    }

    private static ExecutionDescription run(Query behaviour, int deadlineSeconds, String machineName, String executionName,
                                            String input) throws InterruptedException {
        try (LocalFunction function = query(behaviour);
             LocalFunction audit = audit();
             LocalStepFunctions sfn = new LocalStepFunctions(TaskResources.builder().function(function).function(audit)
                     .dynamoDb(dynamo).build(),
                     TimeSource.accelerated(100), WORKER_LIMIT)) {
            String machine = sfn.createStateMachine(machineName, definition(deadlineSeconds), null, null).stateMachineArn();
            String execution = sfn.startExecution(machine, executionName, input).executionArn();
            return sfn.awaitExecution(execution, Duration.ofSeconds(60));
        }
    }

    /** The finished execution and its history. */
    private record Finished(ExecutionDescription execution, java.util.List<HistoryEvent> history) {
    }

    private static Finished runWithHistory(Query behaviour, int deadlineSeconds, String executionName) throws InterruptedException {
        try (LocalFunction function = query(behaviour);
             LocalFunction audit = audit();
             LocalStepFunctions sfn = new LocalStepFunctions(TaskResources.builder().function(function).function(audit)
                     .dynamoDb(dynamo).build(), TimeSource.accelerated(100), WORKER_LIMIT)) {
            String machine = sfn.createStateMachine("budget", definition(deadlineSeconds), null, null).stateMachineArn();
            String execution = sfn.startExecution(machine, executionName, "{\"message\": \"x\"}").executionArn();
            return new Finished(sfn.awaitExecution(execution, Duration.ofSeconds(60)), sfn.executionHistory(execution));
        }
    }

    private static long count(java.util.List<HistoryEvent> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).count();
    }

    /**
     * The history budget of the completion loop (a Standard execution holds at most 25,000 events):
     * one poll, Settled? -> WaitForDeliveries -> ReadTally, writes 9 events (Choice entered/exited,
     * Wait entered/exited, Task entered/scheduled/started/succeeded/exited; a retried ReadTally adds 3
     * per retry). The rest is fixed: 41 events when the broadcast is delivered, 47 when the deadline
     * passes and the recount finds chunks unsettled (48 when the recount finds it delivered: cdk's
     * ExecutionHistoryBudget.FIXED_EVENTS). Of them, 15 claim the broadcast's number (ReadHead,
     * ClaimSequence, AdvanceHead: 5 each).
     */
    @Test
    void theCompletionLoopWritesNineEventsPerPoll() throws InterruptedException {
        Finished delivered = runWithHistory(Query.DELIVER, 600, "budget-delivered");
        assertEquals(ExecutionStatus.SUCCEEDED, delivered.execution().status(), delivered.execution().toString());
        long polls = count(delivered.history(), "WaitStateEntered");
        assertEquals(1, polls, "the first tally already settles it");
        assertEquals(41 + 9 * polls, delivered.history().size());

        Finished stuck = runWithHistory(Query.QUEUE_ONLY, 20, "budget-stuck");
        assertEquals("Broadcast.DeliveryDeadlinePassed", stuck.execution().error());
        java.util.List<HistoryEvent> events = stuck.history();
        long stuckPolls = count(events, "WaitStateEntered");
        assertTrue(stuckPolls >= 2 && stuckPolls <= 20 / 1 + 1, "polls within deadline/interval + 1: " + stuckPolls);
        assertEquals(0, count(events, "TaskFailed"), "no retries in this run");
        assertEquals(47 + 9 * stuckPolls, events.size());
        // between two entries into Settled? lie exactly the 9 events of one poll
        java.util.List<Long> settledEntries = events.stream()
                .filter(e -> e.type().equals("ChoiceStateEntered") && "Settled?".equals(e.details().get("name")))
                .map(HistoryEvent::id).toList();
        for (int i = 1; i < settledEntries.size(); i++) {
            assertEquals(9, settledEntries.get(i) - settledEntries.get(i - 1), "events of poll " + i);
        }
    }

    @Test
    void broadcastsOverAllPartitionsWithBoundedConcurrency() throws InterruptedException {
        invocations.set(0);
        peak.set(0);
        ExecutionDescription result = run(Query.DELIVER, "broadcast", "b-1", "{\"message\": \"hello\"}");
        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.toString());
        Map<String, Object> output = Json.asObject(Json.parse(result.output(), "output"));
        assertEquals("b-1", output.get("broadcastId"));
        assertEquals(2500L, output.get("partitions"));
        assertEquals(5000L, output.get("connections"));
        assertEquals(5000L, output.get("delivered"));
        assertEquals(250, invocations.get(), "2500 partitions, 10 per child");
        assertTrue(peak.get() <= WORKER_LIMIT, "children ran at most " + WORKER_LIMIT + " at a time, peak " + peak.get());
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName("broadcasts")
                .key(Map.of(FanoutSchema.BROADCAST_ID, AttributeValue.fromS("b-1")))).item();
        assertEquals("5000", item.get("queued").n());
    }

    @Test
    void rejectsInputWithUnknownFields() throws InterruptedException {
        ExecutionDescription result = run(Query.DELIVER, "broadcast", "bad-input", "{\"mesage\": \"typo\"}");
        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("Broadcast.InvalidInput", result.error());
        assertTrue(result.cause().contains("mesage"), result.cause());
    }

    @Test
    void failsTheBroadcastWhenTheQueryStepFails() throws InterruptedException {
        ExecutionDescription result = run(Query.FAIL, "broadcast", "b-fails", "{\"message\": 1}");
        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("Broadcast.FanoutFailed", result.error());
        assertTrue(result.cause().contains("States.ExceedToleratedFailureThreshold"), result.cause());
    }

    @Test
    void conditionalPutRefusesAReusedBroadcastId() throws InterruptedException {
        assertEquals(ExecutionStatus.SUCCEEDED, run(Query.DELIVER, "broadcast-a", "same-id", "{\"message\": \"x\"}").status());
        ExecutionDescription again = run(Query.DELIVER, "broadcast-b", "same-id", "{\"message\": \"x\"}");
        assertEquals(ExecutionStatus.FAILED, again.status());
        assertEquals("DynamoDB.ConditionalCheckFailedException", again.error());
        assertTrue(again.cause().contains("ConditionalCheckFailedException"), again.cause());
    }

    @Test
    void failsWhenDeliveriesDoNotSettleBeforeTheDeadline() throws InterruptedException {
        ExecutionDescription result = run(Query.QUEUE_ONLY, 20, "broadcast", "b-stuck", "{\"message\": \"x\"}");
        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("Broadcast.DeliveryDeadlinePassed", result.error());
        assertTrue(result.cause().contains("queued 5000, delivered 0"), result.cause());
        assertTrue(result.cause().contains("250 chunk(s) not settled, holding 5000 connection(s) without an outcome; first: b1-c0 (20, queued)"),
                result.cause());
    }
}
