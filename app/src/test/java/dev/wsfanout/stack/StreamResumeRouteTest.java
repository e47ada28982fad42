package dev.wsfanout.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.local.faults.FaultKind;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.gateway.RecordingClient;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.model.StreamHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The stream's numbers and the resume route end to end (docs/resume.md): broadcasts started
 * through the real SfnClient on the local engine, clients on real WebSockets of the local gateway,
 * the history in dynalite behind the fault proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamResumeRouteTest {

    private LocalDeployment stack;
    private SfnClient sfn;
    private HttpClient http;

    @BeforeAll
    void start() {
        stack = LocalDeployment.start(LocalDeploymentOptions.builder()
                .env(FanoutConfig.PARTITION_COUNT, "10")
                .env(FanoutConfig.HISTORY_MAX_COUNT, "4")
                .faultProxy(true)
                .build());
        sfn = SfnClient.builder()
                .endpointOverride(stack.stepFunctionsEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .build();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    void stop() {
        if (sfn != null) {
            sfn.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Three broadcasts claim at once, and the first claim's answer is lost: 1, 2, 3, each its own, no hole. */
    @Test
    @Order(1)
    void concurrentBroadcastsGetConsecutiveNumbersAndALostClaimAnswerKeepsItsNumber() throws Exception {
        stack.awsFaults(FaultPlan.fromJson("""
                {"rules": [{"service": "dynamodb", "operation": "PutItem", "resource": "%s", "fault": "response_lost", "nth": 1}]}"""
                .formatted(stack.config().historyTable())));
        try {
            List<String> arns = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String name = "seq-" + i + "-" + UUID.randomUUID();
                names.add(name);
                arns.add(start(name, "\"n" + i + "\""));
            }
            Map<Long, String> byNumber = new TreeMap<>();
            for (String arn : arns) {
                JsonNode output = succeeded(arn);
                byNumber.put(output.get("seq").asLong(), output.get("broadcastId").asText());
            }
            assertEquals(List.of(1L, 2L, 3L), List.copyOf(byNumber.keySet()), byNumber.toString());
            assertEquals(names.stream().sorted().toList(), byNumber.values().stream().sorted().toList());
            assertEquals(byNumber, historyEntries(), "each number's entry names the broadcast that claimed it");
            assertEquals(1, stack.awsFaultCounters().get(0).injected(FaultKind.RESPONSE_LOST));
        } finally {
            stack.awsFaults(FaultPlan.none());
        }
    }

    @Test
    @Order(2)
    void aClientThatWasAwayGetsWhatItMissedOnceAndInOrderAsTheOthersGotIt() throws Exception {
        RecordingClient away = connect();
        away.sendText("{\"action\":\"resume\"}");
        assertEquals("{\"type\":\"resumed\",\"since\":null,\"head\":3,\"replayed\":0}", away.nextMessage());
        RecordingClient stayed = connect();

        broadcast("x1", "\"first\"");
        assertEquals("{\"broadcastId\":\"x1\",\"seq\":4,\"data\":\"first\"}", away.nextMessage());
        assertEquals("{\"broadcastId\":\"x1\",\"seq\":4,\"data\":\"first\"}", stayed.nextMessage());
        away.close();
        away.closeCode().get();

        broadcast("x2", "{\"n\":2}");
        broadcast("x3", "[3]");
        List<String> liveCopies = List.of(stayed.nextMessage(), stayed.nextMessage());

        RecordingClient back = connect();
        back.sendText("{\"action\":\"resume\",\"since\":4}");
        assertEquals(liveCopies, List.of(back.nextMessage(), back.nextMessage()),
                "the replay is what the connected client got, byte for byte");
        assertEquals("{\"type\":\"resumed\",\"since\":4,\"head\":6,\"replayed\":2}", back.nextMessage());
        assertFalse(back.hasMessage());
    }

    @Test
    @Order(3)
    void aClientAwayLongerThanTheHistoryIsToldExactlyWhatItLost() throws Exception {
        RecordingClient client = connect();
        client.sendText("{\"action\":\"resume\",\"since\":1}");

        assertEquals("{\"type\":\"gap\",\"reason\":\"expired\",\"since\":1,\"from\":2,\"to\":2,\"head\":6}", client.nextMessage(),
                "HISTORY_MAX_COUNT=4 keeps 3..6");
        List<Long> replayed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replayed.add(JsonCodec.readTree(client.nextMessage()).get("seq").asLong());
        }
        assertEquals(List.of(3L, 4L, 5L, 6L), replayed);
        assertEquals("{\"type\":\"resumed\",\"since\":1,\"head\":6,\"replayed\":4}", client.nextMessage());
    }

    @Test
    @Order(4)
    void aBadRequestIsAnsweredWithWhatWasWrongAndASinceAheadOfTheStreamIsUnknown() throws Exception {
        RecordingClient client = connect();
        client.sendText("{\"action\":\"resume\",\"since\":\"yesterday\"}");
        JsonNode error = JsonCodec.readTree(client.nextMessage());
        assertEquals("error", error.get("type").asText());
        assertEquals("resume", error.get("action").asText());
        assertEquals(true, error.get("message").asText().contains("since must be a whole number"), error.toString());

        client.sendText("{\"action\":\"resume\",\"since\":99}");
        assertEquals("{\"type\":\"gap\",\"reason\":\"unknown\",\"since\":99,\"head\":6}", client.nextMessage());
        assertEquals("{\"type\":\"resumed\",\"since\":99,\"head\":6,\"replayed\":0}", client.nextMessage());
    }

    private RecordingClient connect() {
        return RecordingClient.connect(http, stack.gateway().webSocketUri()).join();
    }

    private void broadcast(String name, String message) throws InterruptedException {
        succeeded(start(name, message));
    }

    private String start(String name, String message) {
        return sfn.startExecution(r -> r.stateMachineArn(stack.stateMachineArn()).name(name)
                .input("{\"message\":" + message + "}")).executionArn();
    }

    private JsonNode succeeded(String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.error() + ": " + d.cause());
                return JsonCodec.readTree(d.output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution still running after 2 minutes: " + executionArn);
    }

    private Map<Long, String> historyEntries() {
        Map<Long, String> entries = new TreeMap<>();
        stack.dynamo().query(r -> r.tableName(stack.config().historyTable())
                        .keyConditionExpression("#s = :s AND #n > :head")
                        .expressionAttributeNames(Map.of("#s", StreamHistory.STREAM, "#n", StreamHistory.SEQ))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(StreamHistory.DEFAULT_STREAM),
                                ":head", AttributeValue.fromN(Long.toString(StreamHistory.HEAD_SEQ)))))
                .items().forEach(item -> entries.put(Long.parseLong(item.get(StreamHistory.SEQ).n()),
                        item.get(StreamHistory.BROADCAST_ID).s()));
        return entries;
    }
}
