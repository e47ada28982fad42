package dev.wsfanout.clients;

import dev.wsfanout.local.gateway.WebSocketGateway;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebSocketSwarmTest {

    /** The gateway refuses upgrades beyond its new-connection rate with 429; the swarm backs off and gets in. */
    @Test
    void handshakesRefusedForTheConnectRateAreTriedAgainUntilEveryClientIsIn() {
        try (WebSocketGateway gateway = WebSocketGateway.builder().connectRateLimit(40, 10).build().start();
             WebSocketSwarm swarm = WebSocketSwarm.connect(gateway.webSocketUri(), 60, 60, n -> { })) {
            assertEquals(60, swarm.size());
            assertTrue(gateway.counters().connectsThrottled() > 0, "the rate was reached: " + gateway.counters());
        }
    }
}
