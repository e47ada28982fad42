package dev.wsfanout.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.faults.FaultKind;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.gateway.FaultInjection;
import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.JsonCodec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger under the faults DynamoDB and SQS produce every day, injected by the fault proxy in
 * front of dynalite and ElasticMQ (real SDK clients, real sockets): throttles past the SDK's
 * retries, 500s, held requests and, above all, writes that were applied but whose response was
 * lost, on every write postMessage and the query step make. Issue 11, defect 3: before the ledger
 * was redesigned, one throttled or lost tally write lost the chunk's count for good (the marker
 * was already done) or, retried by the SDK, added it twice.
 */
class FaultyLedgerTest {

    private static final JsonNode MESSAGE = JsonCodec.readTree("\"under fire\"");

    /** Each kind of write, singled out by the expression only it uses. */
    private static final String PLAN = """
            {"seed": 11, "rules": [
              {"service": "dynamodb", "operation": "UpdateItem", "bodyContains": "leaseUntil = :lease", "fault": "response_lost", "probability": 0.15},
              {"service": "dynamodb", "operation": "UpdateItem", "bodyContains": "leaseUntil = :lease", "fault": "throttle", "probability": 0.15},
              {"service": "dynamodb", "operation": "UpdateItem", "bodyContains": "#s = :posted", "fault": "response_lost", "probability": 0.15},
              {"service": "dynamodb", "operation": "UpdateItem", "bodyContains": "#s = :posted", "fault": "server_error", "every": 5},
              {"service": "dynamodb", "operation": "UpdateItem", "bodyContains": "counted", "fault": "timeout", "every": 6, "holdMillis": 500},
              {"service": "dynamodb", "operation": "UpdateItem", "bodyContains": "counted", "fault": "response_lost", "probability": 0.2},
              {"service": "dynamodb", "operation": "UpdateItem", "bodyContains": "counted", "fault": "throttle", "probability": 0.15},
              {"service": "dynamodb", "operation": "UpdateItem", "bodyContains": "leaseUntil = :zero", "fault": "throttle", "probability": 0.5},
              {"service": "dynamodb", "operation": "GetItem", "fault": "throttle", "probability": 0.1},
              {"service": "dynamodb", "operation": "PutItem", "bodyContains": "plan#", "fault": "response_lost", "probability": 0.2},
              {"service": "dynamodb", "operation": "Query", "fault": "throttle", "probability": 0.1},
              {"service": "sqs", "operation": "SendMessageBatch", "fault": "response_lost", "probability": 0.1},
              {"service": "sqs", "operation": "SendMessageBatch", "fault": "throttle", "probability": 0.1}
            ]}""";

    @Test
    void everyWriteThrottledOrLostStillCountsEveryConnectionExactlyOnce() {
        LocalDeploymentOptions options = LocalDeploymentOptions.builder()
                .env("PARTITION_COUNT", "50")
                .env("CHUNK_SIZE", "5")
                .postMessageTimeout(Duration.ofSeconds(3))
                .faults(FaultInjection.builder().throttleFraction(0.2).seed(3).build())
                .awsFaults(FaultPlan.fromJson(PLAN))
                .build();
        try (LocalDeployment stack = LocalDeployment.start(options);
             WebSocketSwarm swarm = WebSocketSwarm.connect(stack.gateway().webSocketUri(), 200, 100, n -> { })) {
            String broadcastId = "faulty-" + UUID.randomUUID();
            FanoutRunner runner = new FanoutRunner(stack);
            runner.start(broadcastId, MESSAGE, 4);
            BroadcastTally tally = runner.awaitSettled(broadcastId, Duration.ofMinutes(3));

            assertEquals(List.of(200L, 200L, 0L, 0L), List.of(tally.queued(), tally.delivered(), tally.gone(), tally.failed()),
                    "queued, delivered, gone, failed: " + tally);
            assertTrue(swarm.awaitAll(broadcastId, Duration.ofSeconds(10)), "every client received it");
            FaultCounters dynamo = stack.awsFaultCounters().get(0);
            FaultCounters sqs = stack.awsFaultCounters().get(1);
            for (FaultKind kind : List.of(FaultKind.RESPONSE_LOST, FaultKind.THROTTLE, FaultKind.SERVER_ERROR, FaultKind.TIMEOUT)) {
                assertTrue(dynamo.injected(kind) > 0, kind + " was injected into DynamoDB: " + dynamo.summary());
            }
            assertTrue(sqs.injected(FaultKind.RESPONSE_LOST) + sqs.injected(FaultKind.THROTTLE) > 0, sqs.summary());

            // Let every redelivery run out: nothing may be counted a second time.
            stack.awsFaults(FaultPlan.none());
            runner.awaitQueuesDrained(Duration.ofMinutes(2));
            // retried may still grow: a parent whose count came after its child's (a redelivery) adds
            // only handed-on ids; the terminal counts never change.
            BroadcastTally drained = runner.awaitSettled(broadcastId, Duration.ofSeconds(5));
            assertEquals(List.of(tally.delivered(), tally.gone(), tally.failed()), List.of(drained.delivered(), drained.gone(), drained.failed()));
            long copies = swarm.clients().stream().mapToLong(c -> c.receipts(broadcastId).size()).sum();
            assertTrue(copies - 200 <= 40, "second copies only where an outcome write failed after posting: " + (copies - 200));
        }
    }
}
