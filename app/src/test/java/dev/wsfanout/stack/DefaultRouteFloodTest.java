package dev.wsfanout.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.JsonCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, function isolation: chatty clients flooding $default while a broadcast runs. The
 * $default function is bounded (as its reserved concurrency bounds it on AWS), so the flood
 * cannot take the account's concurrency from postMessage: no invocation of the fan-out is
 * throttled, every client gets the broadcast once, and it takes about as long as without the flood.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefaultRouteFloodTest {

    private static final int LISTENERS = 500;
    private static final int FLOODERS = 20;
    /** Each flooder's messages per second: 2,000/s in all, twenty times the stage's $default throttle on AWS. */
    private static final int MESSAGES_PER_SECOND = 100;

    private LocalDeployment stack;
    private WebSocketSwarm swarm;

    @BeforeAll
    void start() {
        // A small account, where an unbounded $default would matter first.
        stack = LocalDeployment.start(LocalDeploymentOptions.builder().env("PARTITION_COUNT", "50")
                .lambdaAccountConcurrency(120).build());
        swarm = WebSocketSwarm.connect(stack.gateway().webSocketUri(), LISTENERS, 100, n -> { });
    }

    @AfterAll
    void stop() {
        swarm.close();
        stack.close();
    }

    @Test
    void aFloodOfDefaultRouteMessagesNeitherThrottlesNorDelaysABroadcast() throws Exception {
        Duration quiet = broadcast("quiet", LISTENERS);

        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket> flooders = new ArrayList<>();
        for (int i = 0; i < FLOODERS; i++) {
            flooders.add(http.newWebSocketBuilder().buildAsync(stack.gateway().webSocketUri(), new WebSocket.Listener() { }).join());
        }
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (WebSocket flooder : flooders) {
            Thread thread = new Thread(() -> {
                while (flooding.get()) {
                    flooder.sendText("{\"action\":\"chatter\",\"n\":" + sent.incrementAndGet() + "}", true).join();
                    pause(1000 / MESSAGES_PER_SECOND);
                }
            }, "default-route-flooder");
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        long receivedBefore = stack.gateway().counters().messagesReceived();
        Duration flooded;
        try {
            pause(500);
            flooded = broadcast("flooded", LISTENERS + FLOODERS);
        } finally {
            flooding.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            flooders.forEach(WebSocket::abort);
        }
        long received = stack.gateway().counters().messagesReceived() - receivedBefore;
        System.out.printf(Locale.ROOT, "DefaultRouteFloodTest: quiet %d ms, during %,d $default messages %d ms (%.2fx); "
                        + "account peak %d of %d, throttles %d%n", quiet.toMillis(), received, flooded.toMillis(),
                (double) flooded.toMillis() / quiet.toMillis(), stack.lambdaAccount().peak(), stack.lambdaAccount().limit(),
                stack.lambdaAccount().throttles());

        assertTrue(received > FLOODERS * MESSAGES_PER_SECOND / 4, "the flood reached the gateway: " + received);
        assertEquals(0, stack.lambdaAccount().throttles(), "no invocation was throttled by the account: " + stack.lambdaAccount());
        assertTrue(stack.lambdaAccount().peak() < stack.lambdaAccount().limit(), stack.lambdaAccount().toString());
        // Generous for a shared 2-core machine: the point is "not starved", not a speed.
        assertTrue(flooded.toMillis() <= quiet.toMillis() * 3 + 3_000, "flooded " + flooded + " against quiet " + quiet);
    }

    /** @param connected the listeners and, while they are connected, the flooders: every one is posted to */
    private Duration broadcast(String broadcastId, int connected) {
        JsonNode message = JsonCodec.readTree("{\"text\":\"" + broadcastId + "\"}");
        FanoutRunner runner = new FanoutRunner(stack);
        long started = System.nanoTime();
        runner.start(broadcastId, message, 5);
        BroadcastTally tally = runner.awaitSettled(broadcastId, Duration.ofMinutes(2));
        assertTrue(swarm.awaitAll(broadcastId, Duration.ofSeconds(10)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(connected, tally.delivered(), tally.toString());
        for (WebSocketSwarm.Client client : swarm.clients()) {
            assertEquals(1, client.receipts(broadcastId).size(), "copies of " + broadcastId);
        }
        return took;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
