package dev.wsfanout.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.LocalCredentials;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cross-cell broadcast end to end (docs/cells.md): three local cells, each a whole deployment
 * with its own gateway, the cross-cell state machine started through the real SfnClient on the home
 * endpoint, clients on real WebSockets. Cell 3's gateway posts 5 a second and its broadcasts give up
 * after 1 s, so it fails once it has more than a few clients, while the others deliver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossCellBroadcastTest {

    private static final int SLOW_CELL = 3;

    private LocalCells cells;
    private SfnClient sfn;
    private HttpClient http;
    private final Map<String, List<RecordingClient>> clients = new HashMap<>();

    @BeforeAll
    void start() {
        cells = LocalCells.start(3, i -> {
            LocalDeploymentOptions.Builder options = LocalDeploymentOptions.builder()
                    .env(FanoutConfig.PARTITION_COUNT, "10")
                    .pollInterval(Duration.ofSeconds(1));
            if (i == SLOW_CELL) {
                options.gatewayRateLimit(5, 1).deliveryDeadline(Duration.ofSeconds(1));
            }
            return options.build();
        }, 0);
        sfn = SfnClient.builder()
                .endpointOverride(cells.stepFunctionsEndpoint())
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
        if (cells != null) {
            cells.close();
        }
    }

    @Test
    @Order(1)
    void everyClientOfEveryCellGetsTheBroadcastOnceUnderOneNumber() throws Exception {
        connect("cell-1", 2);
        connect("cell-2", 2);
        connect("cell-3", 1);

        JsonNode audit = succeeded(start("g1", "{\"message\":\"hello\"}"));

        assertEquals("{\"cells\":3,\"succeeded\":3,\"connections\":5,\"delivered\":5,\"gone\":0,\"failed\":0}",
                audit.get("total").toString());
        assertEquals(0, audit.get("failedCells").size());
        assertFalse(audit.has("rerun"));
        assertEquals(List.of("cell-1", "cell-2", "cell-3"), names(audit.get("cells")));
        for (JsonNode cell : audit.get("cells")) {
            assertEquals("SUCCEEDED", cell.get("status").asText());
            assertEquals(1, cell.get("audit").get("seq").asLong(), cell.toString());
        }
        for (List<RecordingClient> cellClients : clients.values()) {
            for (RecordingClient client : cellClients) {
                assertEquals("{\"broadcastId\":\"g1\",\"seq\":1,\"data\":\"hello\"}", client.nextMessage());
            }
        }
        for (LocalDeployment cell : cells.cells()) {
            assertEquals(Map.of(1L, "g1"), historyEntries(cell), "each cell's history names the cross-cell broadcast at its number");
        }
    }

    @Test
    @Order(2)
    void anInputTheCellsWouldRefuseFailsBeforeANumberIsClaimed() throws Exception {
        assertInvalid("{\"message\":\"x\",\"cells\":[\"cell-1\"]}", "cells chooses the cells of a rerun");
        assertInvalid("{\"message\":\"x\",\"broadcastId\":\"g1\",\"seq\":1,\"cells\":[\"cell-9\"]}", "no cell cell-9; the cells are [cell-1, cell-2, cell-3]");
        assertInvalid("{\"text\":\"x\"}", "message");
        assertInvalid("{\"message\":\"x\",\"broadcastId\":\"g0\",\"seq\":1}", "sequence number 1 belongs to another broadcast than g0");
    }

    @Test
    @Order(3)
    void aFailedCellDoesNotStopTheOthersAndARerunOfItAloneCompletesTheSameBroadcast() throws Exception {
        connect("cell-3", 15);
        DescribeExecutionResponse failed = finished(start("g2", "{\"message\":\"second\"}"));

        assertEquals(ExecutionStatus.FAILED, failed.status());
        assertEquals("CrossCell.CellsFailed", failed.error());
        JsonNode audit = JsonCodec.readTree(failed.cause());
        assertEquals(2, audit.get("seq").asLong(), "the invalid inputs claimed no number");
        assertEquals("[\"cell-3\"]", audit.get("failedCells").toString());
        assertEquals("{\"broadcastId\":\"g2\",\"seq\":2,\"cells\":[\"cell-3\"]}", audit.get("rerun").toString());
        assertEquals("{\"cells\":3,\"succeeded\":2,\"connections\":4,\"delivered\":4,\"gone\":0,\"failed\":0}",
                audit.get("total").toString());
        JsonNode slow = audit.get("cells").get(2);
        assertEquals("FAILED", slow.get("status").asText());
        assertEquals("Broadcast.DeliveryDeadlinePassed", slow.get("error").asText(), slow.toString());
        String expected = "{\"broadcastId\":\"g2\",\"seq\":2,\"data\":\"second\"}";
        for (String cell : List.of("cell-1", "cell-2")) {
            for (RecordingClient client : clients.get(cell)) {
                assertEquals(expected, client.nextMessage());
            }
        }
        // The slow cell's queue still drains after its execution gave up: each of its clients gets
        // the broadcast once, and the rerun must not send it again. At 5 posts/s shared by its
        // postMessage environments (1/s each) the 16 take up to 16 s, in no particular order.
        long drained = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (RecordingClient client : clients.get("cell-3")) {
            while (!client.hasMessage() && System.nanoTime() < drained) {
                Thread.sleep(100);
            }
            assertEquals(expected, client.nextMessage());
        }
        long postsBefore = cells.cell("cell-3").gateway().counters().postsTotal();

        JsonNode rerun = succeeded(start("g2-rerun", "{\"message\":\"second\",\"broadcastId\":\"g2\",\"seq\":2,\"cells\":[\"cell-3\"]}"));

        assertEquals("g2", rerun.get("broadcastId").asText());
        assertEquals(2, rerun.get("seq").asLong());
        assertEquals("{\"cells\":1,\"succeeded\":1,\"connections\":16,\"delivered\":16,\"gone\":0,\"failed\":0}",
                rerun.get("total").toString(), "the rerun's cell counts the first attempt's deliveries");
        assertEquals(postsBefore, cells.cell("cell-3").gateway().counters().postsTotal(), "the rerun posted nothing again");
        for (List<RecordingClient> cellClients : clients.values()) {
            for (RecordingClient client : cellClients) {
                assertFalse(client.hasMessage());
            }
        }
        assertEquals(Map.of(1L, "g1", 2L, "g2"), historyEntries(cells.cell("cell-3")));
    }

    /** A broadcast started in one cell alone takes that cell's next number, which the next cross-cell broadcast cannot then share. */
    @Test
    @Order(4)
    void aCellsOwnBroadcastTakesANumberTheCrossCellBroadcastThenCannotUseThere() throws Exception {
        LocalDeployment first = cells.cell("cell-1");
        try (SfnClient cellSfn = SfnClient.builder().endpointOverride(first.stepFunctionsEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER).build()) {
            String arn = cellSfn.startExecution(r -> r.stateMachineArn(first.stateMachineArn()).name("alone")
                    .input("{\"message\":\"only cell 1\"}")).executionArn();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (cellSfn.describeExecution(r -> r.executionArn(arn)).status() == ExecutionStatus.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(3, JsonCodec.readTree(cellSfn.describeExecution(r -> r.executionArn(arn)).output()).get("seq").asLong());
        }

        JsonNode audit = JsonCodec.readTree(finished(start("g3", "{\"message\":\"third\"}")).cause());

        assertEquals(3, audit.get("seq").asLong());
        JsonNode cell1 = audit.get("cells").get(0);
        assertEquals("FAILED", cell1.get("status").asText());
        assertEquals("Broadcast.SequenceTaken", cell1.get("error").asText());
        assertTrue(cell1.get("cause").asText().contains("sequence number 3 belongs to another broadcast in the history of this cell"),
                cell1.toString());
        JsonNode cell2 = audit.get("cells").get(1);
        assertEquals("SUCCEEDED", cell2.get("status").asText(), cell2.toString());
        assertEquals(3, cell2.get("audit").get("seq").asLong());
        assertEquals(Map.of(1L, "g1", 2L, "g2", 3L, "alone"), historyEntries(first));
    }

    private void connect(String cell, int count) {
        for (int i = 0; i < count; i++) {
            clients.computeIfAbsent(cell, c -> new ArrayList<>())
                    .add(RecordingClient.connect(http, cells.cell(cell).gateway().webSocketUri()).join());
        }
    }

    private void assertInvalid(String input, String because) throws InterruptedException {
        DescribeExecutionResponse d = finished(start(null, input));
        assertEquals(ExecutionStatus.FAILED, d.status());
        assertEquals("CrossCell.InvalidInput", d.error(), d.cause());
        assertTrue(d.cause().contains(because), d.cause());
    }

    private String start(String name, String input) {
        return sfn.startExecution(r -> r.stateMachineArn(cells.stateMachineArn()).name(name).input(input)).executionArn();
    }

    private JsonNode succeeded(String executionArn) throws InterruptedException {
        DescribeExecutionResponse d = finished(executionArn);
        assertEquals(ExecutionStatus.SUCCEEDED, d.status(), d.error() + ": " + d.cause());
        return JsonCodec.readTree(d.output());
    }

    private DescribeExecutionResponse finished(String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("execution still running after 2 minutes: " + executionArn);
    }

    private static List<String> names(JsonNode cellResults) {
        List<String> names = new ArrayList<>();
        cellResults.forEach(c -> names.add(c.get("cell").asText()));
        return names;
    }

    private static Map<Long, String> historyEntries(LocalDeployment cell) {
        Map<Long, String> entries = new HashMap<>();
        cell.dynamo().query(r -> r.tableName(cell.config().historyTable()).consistentRead(true)
                        .keyConditionExpression("#s = :s AND #n > :head")
                        .expressionAttributeNames(Map.of("#s", StreamHistory.STREAM, "#n", StreamHistory.SEQ))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(StreamHistory.DEFAULT_STREAM),
                                ":head", AttributeValue.fromN(Long.toString(StreamHistory.HEAD_SEQ)))))
                .items().forEach(item -> entries.put(Long.parseLong(item.get(StreamHistory.SEQ).n()),
                        item.get(StreamHistory.BROADCAST_ID).s()));
        return entries;
    }
}
