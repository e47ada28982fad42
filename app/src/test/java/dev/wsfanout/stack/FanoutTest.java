package dev.wsfanout.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.model.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out at the registry's design shape: 5,000 real WebSocket clients over 2,500 partitions,
 * the query function over all 250 batches, the shards drained by the event-source mappings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FanoutTest {

    private LocalDeployment stack;
    private WebSocketSwarm swarm;

    @BeforeAll
    void connectFiveThousandClients() throws InterruptedException {
        stack = LocalDeployment.start(LocalDeploymentOptions.builder().postMessageTimeout(Duration.ofSeconds(5)).build());
        swarm = WebSocketSwarm.connect(stack.gateway().webSocketUri(), 5000, 200, n -> { });
        // The gateway counts a socket just after it answers the handshake: allow it that moment.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stack.gateway().counters().realConnectionsOpen() < 5000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(5000, stack.gateway().counters().realConnectionsOpen());
    }

    @AfterAll
    void stop() {
        if (swarm != null) {
            swarm.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everySocketReceivesTheMessageExactlyOnce() {
        String broadcastId = "b-" + UUID.randomUUID();
        JsonNode message = JsonCodec.readTree("{\"headline\":\"hello, five thousand\"}");
        FanoutRunner runner = new FanoutRunner(stack);

        QueryResult queued = runner.start(broadcastId, message, 10);
        BroadcastTally tally = runner.awaitSettled(broadcastId, Duration.ofMinutes(3));

        assertEquals(2500, queued.partitions());
        assertEquals(5000, queued.connections());
        assertEquals(List.of(5000L, 5000L, 0L, 0L), List.of(tally.queued(), tally.delivered(), tally.gone(), tally.failed()),
                "queued, delivered, gone, failed: " + tally);
        assertTrue(swarm.awaitAll(broadcastId, Duration.ofSeconds(10)));
        for (WebSocketSwarm.Client client : swarm.clients()) {
            assertEquals(1, client.receipts(broadcastId).size(), "copies received by one client");
        }
        // what a client holds is the documented envelope around the message, untouched
        assertEquals(JsonCodec.readTree("{\"broadcastId\":\"" + broadcastId + "\",\"data\":" + JsonCodec.write(message) + "}"),
                JsonCodec.readTree(swarm.clients().get(0).firstText(broadcastId)));
    }
}
