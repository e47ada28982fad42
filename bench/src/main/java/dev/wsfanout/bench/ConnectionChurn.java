package dev.wsfanout.bench;

import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.local.LocalCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ends 5% of the connections while the broadcast runs, spread over its first seconds, when their
 * partitions may or may not have been read yet: real sockets closed by their own client, virtual
 * connections by {@code DELETE @connections/{id}} (the gateway then runs $disconnect, as API
 * Gateway does). Those connections are not "connected throughout", so the guarantee does not
 * promise them the message; it does promise that each is counted exactly once.
 */
final class ConnectionChurn implements AutoCloseable {

    static final double FRACTION = 0.05;
    private static final Duration SPREAD = Duration.ofMillis(1500);

    private final ApiGatewayManagementApiClient api;
    private final Random random;
    private final Set<WebSocketSwarm.Client> closedSockets = ConcurrentHashMap.newKeySet();
    private final Set<String> endedVirtual = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private Thread thread;

    ConnectionChurn(URI managementEndpoint, long seed) {
        this.random = new Random(seed);
        // The SDK's standard retries: a DELETE shares the gateway's rate limit with the posts and
        // may meet a 429 like them; one that never gets through leaves its connection open.
        this.api = ApiGatewayManagementApiClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(managementEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .build();
    }

    /** Starts closing {@link #FRACTION} of each, chosen by the seed, in a shuffled order over {@link #SPREAD}; returns at once. */
    void start(List<WebSocketSwarm.Client> sockets, List<String> virtualIds) {
        List<Runnable> endings = new ArrayList<>();
        for (WebSocketSwarm.Client socket : pick(sockets)) {
            endings.add(() -> {
                socket.close();
                closedSockets.add(socket);
            });
        }
        for (String id : pick(virtualIds)) {
            endings.add(() -> delete(id));
        }
        Collections.shuffle(endings, random);
        // Its own thread, not the common pool: on 2 cores that pool has one thread, which the
        // execution's poll may be holding.
        thread = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < endings.size(); i++) {
                long due = start + SPREAD.toNanos() * i / endings.size();
                sleepUntil(due);
                endings.get(i).run();
            }
        }, "chaos-connection-churn");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until every ending was made. */
    void await() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean closed(WebSocketSwarm.Client socket) {
        return closedSockets.contains(socket);
    }

    boolean ended(String virtualId) {
        return endedVirtual.contains(virtualId);
    }

    int closedSockets() {
        return closedSockets.size();
    }

    int endedVirtual() {
        return endedVirtual.size();
    }

    /** DELETEs that failed after the SDK's retries: those connections stayed open, and count as such. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        api.close();
    }

    private <T> List<T> pick(List<T> all) {
        List<T> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, random);
        return shuffled.subList(0, (int) Math.round(all.size() * FRACTION));
    }

    private void delete(String id) {
        try {
            api.deleteConnection(r -> r.connectionId(id));
            endedVirtual.add(id);
        } catch (GoneException alreadyGone) {
            endedVirtual.add(id);
        } catch (RuntimeException e) {
            errors.add(id + ": " + e.getMessage());
        }
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
