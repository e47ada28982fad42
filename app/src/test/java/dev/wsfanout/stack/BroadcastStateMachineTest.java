package dev.wsfanout.stack;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.faults.FaultKind;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.sqs.LocalSqsClients;
import dev.wsfanout.model.JsonCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * statemachine/broadcast.asl.json run by the local Step Functions runtime, driven through the real
 * SfnClient the way a user starts and audits a broadcast. The query function fails the first time
 * it sees each batch (after queueing its chunks), so every batch goes through the Map's Retry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BroadcastStateMachineTest {

    private final Set<String> batchesSeen = ConcurrentHashMap.newKeySet();
    private LocalDeployment stack;
    private WebSocketSwarm swarm;
    private SfnClient sfn;

    @BeforeAll
    void start() {
        stack = LocalDeployment.start(LocalDeploymentOptions.builder()
                .env("PARTITION_COUNT", "200")
                .postMessageTimeout(Duration.ofSeconds(5))
                .queryHandlerDecorator(this::failOncePerBatch)
                .faultProxy(true)
                .build());
        swarm = WebSocketSwarm.connect(stack.gateway().webSocketUri(), 2000, 200, n -> { });
        sfn = SfnClient.builder()
                .endpointOverride(stack.stepFunctionsEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .build();
    }

    @AfterAll
    void stop() {
        if (sfn != null) {
            sfn.close();
        }
        if (swarm != null) {
            swarm.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Runs the real handler, then fails the first attempt of each batch as a transient SDK error would. */
    private RequestStreamHandler failOncePerBatch(RequestStreamHandler real) {
        return (InputStream in, java.io.OutputStream out, com.amazonaws.services.lambda.runtime.Context context) -> {
            byte[] event = in.readAllBytes();
            ByteArrayOutputStream result = new ByteArrayOutputStream();
            real.handleRequest(new ByteArrayInputStream(event), result, context);
            String items = JsonCodec.readTree(new String(event, java.nio.charset.StandardCharsets.UTF_8)).get("Items").toString();
            if (batchesSeen.add(items)) {
                throw software.amazon.awssdk.core.exception.SdkClientException.create("injected: connection reset after the chunks were queued");
            }
            out.write(result.toByteArray());
        };
    }

    @Test
    @Order(3)
    void aBroadcastReachesEverySocketOnceAndItsHistoryIsTheAudit() throws Exception {
        String name = "it-" + UUID.randomUUID();
        String executionArn = sfn.startExecution(r -> r.stateMachineArn(stack.stateMachineArn()).name(name)
                .input("{\"message\":{\"title\":\"hello\",\"n\":2000}}")).executionArn();

        DescribeExecutionResponse done = awaitEnd(executionArn);
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());
        JsonNode output = JsonCodec.readTree(done.output());
        assertEquals(name, output.get("broadcastId").asText());
        assertEquals(200, output.get("partitions").asInt());
        assertEquals(2000, output.get("connections").asInt());
        assertEquals(2000, output.get("delivered").asInt());
        assertEquals(0, output.get("gone").asInt());
        assertEquals(0, output.get("failed").asInt());
        assertTrue(output.hasNonNull("startedAt") && output.hasNonNull("finishedAt"));

        assertTrue(swarm.awaitAll(name, Duration.ofSeconds(10)));
        // Every batch ran twice, and its chunks were queued twice: postMessage must post each chunk
        // once, so a second copy of a whole chunk (100 clients) is the defect this looks for. A post
        // whose answer overran the 2 s call timeout on this loaded machine is sent again and can
        // reach its client twice (docs/failure-model.md): those rare copies are allowed, never a third.
        int extraCopies = 0;
        for (WebSocketSwarm.Client client : swarm.clients()) {
            int copies = client.receipts(name).size();
            assertTrue(copies == 1 || copies == 2, "copies received by one client: " + copies);
            extraCopies += copies - 1;
        }
        assertTrue(extraCopies < 100, extraCopies + " extra copies: at least a whole chunk was posted twice");
        assertEquals(20, batchesSeen.stream().count(), "every one of the 20 batches failed once and was retried");

        List<HistoryEvent> history = sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn)).events().stream().toList();
        List<HistoryEventType> types = history.stream().map(HistoryEvent::type).toList();
        assertEquals(HistoryEventType.EXECUTION_STARTED, types.get(0));
        assertTrue(types.contains(HistoryEventType.MAP_RUN_STARTED), types.toString());
        assertTrue(types.contains(HistoryEventType.MAP_RUN_SUCCEEDED), types.toString());
        HistoryEvent last = history.get(history.size() - 1);
        assertEquals(HistoryEventType.EXECUTION_SUCCEEDED, last.type());
        assertEquals(output, JsonCodec.readTree(last.executionSucceededEventDetails().output()));

        // Issue 17, retention: the broadcast record expires with its ledger, Retention.RECORDS after the start.
        var record = stack.dynamo().getItem(r -> r.tableName(stack.config().broadcastsTable())
                .key(java.util.Map.of(dev.wsfanout.model.FanoutSchema.BROADCAST_ID, software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(name)))).item();
        assertEquals(done.startDate().getEpochSecond() + dev.wsfanout.model.Retention.RECORDS.toSeconds(),
                Long.parseLong(record.get(dev.wsfanout.model.FanoutSchema.EXPIRES_AT).n()), record.toString());
    }

    /**
     * Defect 8 of issue 11: the check sized JSONata's text of the message ({@code 1e-7}, 4 bytes)
     * while postMessage posted Jackson's ({@code 1.0E-7}, 6 bytes), so a float-heavy message that
     * passed the check was 40% larger on the wire and got 413 on every connection. Now the check
     * sizes the very text that is posted: at the limit it is delivered byte for byte, one byte more is refused.
     */
    @Test
    @Order(4)
    void aFloatHeavyMessageAtTheSizeLimitIsDeliveredAsExactlyTheBytesTheCheckSized() throws Exception {
        int numbers = (130_912 - 1) / 5;
        String atLimit = "[" + String.join(",", java.util.Collections.nCopies(numbers, "1e-7")) + "]";
        assertEquals(130_911, atLimit.length());
        String name = "floats-" + UUID.randomUUID();
        String executionArn = sfn.startExecution(r -> r.stateMachineArn(stack.stateMachineArn()).name(name)
                .input("{\"message\":" + atLimit + "}")).executionArn();

        DescribeExecutionResponse done = awaitEnd(executionArn);
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());
        JsonNode output = JsonCodec.readTree(done.output());
        assertEquals(List.of(2000L, 0L, 0L), List.of(output.get("delivered").asLong(), output.get("gone").asLong(),
                output.get("failed").asLong()), output.toString());
        // 2,000 copies of 128 KB are 262 MB through one client JVM's sockets: the last frames may arrive
        // well after the gateway accepted the posts the audit counts.
        assertTrue(swarm.awaitAll(name, Duration.ofSeconds(60)));
        String expected = "{\"broadcastId\":\"" + name + "\",\"seq\":" + output.get("seq").asLong() + ",\"data\":" + atLimit + "}";
        for (WebSocketSwarm.Client client : swarm.clients()) {
            assertEquals(expected, client.firstText(name));
        }

        String overLimit = "[" + String.join(",", java.util.Collections.nCopies(numbers + 1, "1e-7")) + "]";
        String refused = sfn.startExecution(r -> r.stateMachineArn(stack.stateMachineArn()).name("floats-" + UUID.randomUUID())
                .input("{\"message\":" + overLimit + "}")).executionArn();
        DescribeExecutionResponse over = awaitEnd(refused);
        assertEquals("Broadcast.InvalidInput", over.error());
        assertTrue(over.cause().contains("130916 bytes"), over.cause());
    }

    /**
     * Defect 7 of issue 11: CreateBroadcast, RecordQueued and the completion poll had no Retry, so
     * one throttled call past the SDK's retries failed the execution while deliveries went on; and
     * CreateBroadcast's condition refused its own retry after a lost response.
     */
    @Test
    @Order(5)
    void throttledAndLostStateMachineWritesAreRetriedAndTheBroadcastSucceeds() throws Exception {
        String table = stack.config().broadcastsTable();
        stack.awsFaults(FaultPlan.fromJson("""
                {"rules": [
                  {"service": "dynamodb", "operation": "PutItem", "resource": "%1$s", "fault": "response_lost", "nth": 1},
                  {"service": "dynamodb", "operation": "UpdateItem", "resource": "%1$s", "fault": "throttle", "times": 3},
                  {"service": "dynamodb", "operation": "BatchGetItem", "fault": "throttle", "times": 6}
                ]}""".formatted(table)));
        try {
            String name = "faulty-" + UUID.randomUUID();
            String executionArn = sfn.startExecution(r -> r.stateMachineArn(stack.stateMachineArn()).name(name)
                    .input("{\"message\":\"retried\"}")).executionArn();

            DescribeExecutionResponse done = awaitEnd(executionArn);
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());
            assertEquals(2000, JsonCodec.readTree(done.output()).get("delivered").asInt());
            FaultCounters dynamo = stack.awsFaultCounters().get(0);
            assertEquals(1, dynamo.injected(FaultKind.RESPONSE_LOST), dynamo.summary());
            assertEquals(9, dynamo.injected(FaultKind.THROTTLE), dynamo.summary());
            assertTrue(swarm.awaitAll(name, Duration.ofSeconds(10)));
        } finally {
            stack.awsFaults(FaultPlan.none());
        }
    }

    /** Runs before any broadcast, so the shards must still be empty afterwards. */
    @ParameterizedTest
    @Order(1)
    @ValueSource(strings = {"{}", "{\"message\":null}", "\"just a string\"", "[1,2]", "{\"message\":\"hi\",\"extra\":1}", "BIG"})
    void invalidInputFailsBeforeAnythingIsWrittenOrSent(String input) throws Exception {
        String body = input.equals("BIG") ? "{\"message\":\"" + "x".repeat(200 * 1024) + "\"}" : input;
        String name = "bad-" + UUID.randomUUID();
        String executionArn = sfn.startExecution(r -> r.stateMachineArn(stack.stateMachineArn()).name(name).input(body)).executionArn();

        DescribeExecutionResponse done = awaitEnd(executionArn);
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("Broadcast.InvalidInput", done.error());
        assertFalse(done.cause().isBlank());
        assertTrue(stack.tallies().read(name).isEmpty(), "no broadcast record");
        assertShardsEmpty();
    }

    @Test
    @Order(2)
    void inputThatIsNotJsonIsRefusedByStartExecution() {
        assertThrows(InvalidExecutionInputException.class, () -> sfn.startExecution(r -> r
                .stateMachineArn(stack.stateMachineArn()).name("nojson-" + UUID.randomUUID()).input("{message: hi")));
    }

    private void assertShardsEmpty() {
        try (SqsClient sqs = LocalSqsClients.sync(stack.sqsEndpoint())) {
            for (String url : stack.queues().queues()) {
                var attributes = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings(
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                assertEquals("0", attributes.get("ApproximateNumberOfMessages"), url);
                assertEquals("0", attributes.get("ApproximateNumberOfMessagesNotVisible"), url);
            }
        }
    }

    private DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution still running after 3 minutes: " + executionArn);
    }
}
