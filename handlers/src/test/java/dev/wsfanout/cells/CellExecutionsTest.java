package dev.wsfanout.cells;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.sfn.LocalStepFunctions;
import dev.wsfanout.local.sfn.StepFunctionsServer;
import dev.wsfanout.local.sfn.TaskResources;
import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starting and waiting for a cell's execution through the real SfnClient, against the local
 * Step Functions endpoint (the cell), with the waits on the test's clock.
 */
class CellExecutionsTest {

    private static final String ECHO = """
            {"QueryLanguage": "JSONata", "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "Output": "{% $states.input %}", "End": true}}}""";
    private static final String FAIL = """
            {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Broadcast.InvalidInput", "Cause": "the input has no message"}}}""";
    private static final String FOREVER = """
            {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 3600, "End": true}}}""";

    private LocalStepFunctions engine;
    private StepFunctionsServer server;
    private CellSfnClients clients;

    @BeforeEach
    void start() {
        engine = new LocalStepFunctions(TaskResources.builder().build());
        server = new StepFunctionsServer(engine, 0).start();
    }

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        server.close();
        engine.close();
    }

    @Test
    void aRetriedStartFindsTheExecutionItStartedAndItsAudit() throws Exception {
        CellExecutions cells = executions(ECHO, Clock.systemUTC(), d -> { });
        JsonNode input = JsonCodec.readTree("{\"message\":\"hi\",\"broadcastId\":\"g1\",\"seq\":4}");

        String arn = cells.start("c1", "g1", input);
        assertEquals(arn, cells.start("c1", "g1", input), "a start whose answer was lost, repeated");

        CellStatus status = cells.await("c1", arn, Duration.ofSeconds(30));
        assertEquals(CellStatus.SUCCEEDED, status.status());
        assertEquals(input, status.audit());
        assertEquals(arn, status.executionArn());
    }

    @Test
    void theSameNameWithAnotherInputIsRefusedNotTakenForThisBroadcast() throws Exception {
        CellExecutions cells = executions(ECHO, Clock.systemUTC(), d -> { });
        String arn = cells.start("c1", "g1", JsonCodec.readTree("{\"message\":\"first\"}"));
        cells.await("c1", arn, Duration.ofSeconds(30));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> cells.start("c1", "g1", JsonCodec.readTree("{\"message\":\"second\"}")));
        assertTrue(refused.getMessage().contains("cell c1 already ran an execution named g1 with another input"), refused.getMessage());
    }

    @Test
    void aFailedCellSaysWhyInItsStatus() throws Exception {
        CellExecutions cells = executions(FAIL, Clock.systemUTC(), d -> { });
        String arn = cells.start("c1", "g1", JsonCodec.readTree("{}"));

        CellStatus status = cells.await("c1", arn, Duration.ofSeconds(30));

        assertEquals("FAILED", status.status());
        assertEquals("Broadcast.InvalidInput", status.error());
        assertEquals("the input has no message", status.cause());
    }

    /** A wait ends at its length with RUNNING; each poll is a second of the test's clock, none of real time. */
    @Test
    void aWaitForARunningCellEndsAfterItsLengthWithRunning() throws Exception {
        MovingClock clock = new MovingClock();
        AtomicInteger pauses = new AtomicInteger();
        CellExecutions cells = executions(FOREVER, clock, d -> {
            pauses.incrementAndGet();
            clock.advance(d);
        });
        String arn = cells.start("c1", "g1", JsonCodec.readTree("{}"));

        CellStatus status = cells.await("c1", arn, Duration.ofSeconds(5));

        assertEquals(CellStatus.RUNNING, status.status());
        assertEquals(5, pauses.get());
    }

    private CellExecutions executions(String definition, Clock clock, CellExecutions.Pause pause) {
        String machine = engine.createStateMachine("wsfanout-broadcast", definition, "arn:aws:iam::000000000000:role/test", "STANDARD")
                .stateMachineArn();
        CellDirectory directory = new CellDirectory(List.of(
                new CellDirectory.Cell("c1", "us-east-1", machine, null, server.endpoint().toString())));
        clients = CellSfnClients.onAws(directory);
        return new CellExecutions(directory, clients, clock, pause);
    }

    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
