package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.lambda.LocalFunctionException;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Invokes route functions off the Netty event loops (a function call blocks for as long as the
 * handler runs) and reads their answers the way API Gateway reads a Lambda proxy response.
 */
final class RouteInvoker {

    /** What API Gateway answers the upgrade with when the $connect integration fails. */
    static final int INTEGRATION_FAILURE_STATUS = 502;

    private static final System.Logger LOG = System.getLogger(RouteInvoker.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Tries of one $disconnect, the first included; the waits between them double from {@link #FIRST_RETRY_WAIT}. */
    static final int DISCONNECT_ATTEMPTS = 6;
    static final Duration FIRST_RETRY_WAIT = Duration.ofMillis(200);

    private final RouteTable routes;
    private final RouteEvents events;
    private final LiveCounters counters;
    private final ExecutorService executor;
    private final ScheduledExecutorService disconnects;
    private final DisconnectDrops drops;
    /** The authorizer's context of each open connection that had one, until its $disconnect. */
    private final Map<String, Map<String, Object>> authorizations = new ConcurrentHashMap<>();

    /**
     * @param executor    $connect and message routes
     * @param disconnects $disconnect, apart, so a storm of connects cannot starve the disconnects
     *                    that keep the registry true (and retries wait on a timer, not a thread)
     */
    RouteInvoker(RouteTable routes, RouteEvents events, LiveCounters counters, ExecutorService executor,
                 ScheduledExecutorService disconnects, DisconnectDrops drops) {
        this.routes = routes;
        this.events = events;
        this.counters = counters;
        this.executor = executor;
        this.disconnects = disconnects;
        this.drops = drops;
    }

    RouteTable routes() {
        return routes;
    }

    /**
     * Runs $connect; completes with the HTTP status the upgrade is answered with: 2xx accepts the
     * connection, anything else refuses it. Without a $connect route every connection is accepted.
     */
    CompletableFuture<Integer> connect(ConnectionInfo connection) {
        if (routes.connect() == null && routes.authorizer() == null) {
            return CompletableFuture.completedFuture(200);
        }
        try {
            return CompletableFuture.supplyAsync(() -> connectStatus(connection), executor);
        } catch (RejectedExecutionException stopping) {
            return CompletableFuture.completedFuture(INTEGRATION_FAILURE_STATUS);
        }
    }

    /**
     * Delivers $disconnect for a connection that was accepted, trying again after a failure
     * (throttled, timed out, an error) with doubling waits, about 12 s in all: API Gateway promises
     * only a best effort, but an emulator that loses a $disconnect to a transient error would
     * leave a row for every one. {@link DisconnectDrops} drops some on purpose, for the sweeper.
     */
    void disconnect(ConnectionInfo connection, CloseStatus status) {
        counters.disconnects.increment();
        if (routes.disconnect() == null) {
            authorizations.remove(connection.connectionId());
            return;
        }
        if (drops.drop()) {
            authorizations.remove(connection.connectionId());
            counters.disconnectsDropped.increment();
            return;
        }
        byte[] event = events.disconnect(connection, status, authorizations.remove(connection.connectionId()));
        scheduleDisconnect(routes.disconnect(), event, 1, 0);
    }

    private void scheduleDisconnect(LocalFunction function, byte[] event, int attempt, long delayMillis) {
        try {
            disconnects.schedule(() -> {
                try {
                    function.invoke(event);
                } catch (LocalFunctionException | RuntimeException e) {
                    if (attempt < DISCONNECT_ATTEMPTS) {
                        counters.disconnectRetries.increment();
                        scheduleDisconnect(function, event, attempt + 1, FIRST_RETRY_WAIT.toMillis() << (attempt - 1));
                    } else {
                        counters.routeErrors.increment();
                        LOG.log(System.Logger.Level.WARNING, "$disconnect failed " + attempt + " times, given up: " + e.getMessage());
                    }
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            counters.routeErrors.increment();
        }
    }

    void message(ConnectionInfo connection, RouteTable.Selected route, String body, boolean base64Encoded) {
        // Read now, not when the event is built on the route threads: a client that closes right after
        // sending has its context removed by $disconnect before then.
        Map<String, Object> authorizer = authorizations.get(connection.connectionId());
        runQuietly(route.function(), () -> events.message(connection, route.routeKey(), body, base64Encoded, authorizer));
    }

    private int connectStatus(ConnectionInfo connection) {
        Map<String, Object> authorizer = null;
        if (routes.authorizer() != null) {
            counters.authorizerInvocations.increment();
            RequestAuthorizer.Decision decision = routes.authorizer().authorize(connection, events.authorizer(connection));
            if (!decision.allowed()) {
                counters.connectsUnauthorized.increment();
                return decision.refusalStatus();
            }
            authorizer = decision.context();
        }
        if (routes.connect() == null) {
            remember(connection, authorizer);
            return 200;
        }
        try {
            byte[] response = routes.connect().invoke(events.connect(connection, authorizer));
            int status = statusCodeOf(response);
            if (status >= 200 && status <= 299) {
                remember(connection, authorizer);
            }
            return status;
        } catch (LocalFunctionException e) {
            LOG.log(System.Logger.Level.WARNING, "$connect failed for " + connection.connectionId() + ": " + e.getMessage());
            return INTEGRATION_FAILURE_STATUS;
        }
    }

    /** API Gateway keeps the authorizer's context for the connection's later routes. */
    private void remember(ConnectionInfo connection, Map<String, Object> authorizer) {
        if (authorizer != null) {
            authorizations.put(connection.connectionId(), authorizer);
        }
    }

    /**
     * The proxy response's {@code statusCode}; a response without one (or no response at all)
     * counts as success, as it does for API Gateway's Lambda proxy integration on $connect.
     */
    private static int statusCodeOf(byte[] response) {
        try {
            JsonNode node = JSON.readTree(response);
            JsonNode status = node == null ? null : node.get("statusCode");
            if (status == null || status.isNull()) {
                return 200;
            }
            if (status.isNumber()) {
                return status.asInt();
            }
            return Integer.parseInt(status.asText().trim());
        } catch (IOException | NumberFormatException malformed) {
            return INTEGRATION_FAILURE_STATUS;
        }
    }

    /** Fire-and-forget, as API Gateway does for message routes without a route response. */
    private void runQuietly(LocalFunction function, EventSource event) {
        try {
            executor.execute(() -> {
                try {
                    function.invoke(event.json());
                } catch (LocalFunctionException | RuntimeException e) {
                    counters.routeErrors.increment();
                    LOG.log(System.Logger.Level.WARNING, "route function " + function.name() + " failed: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException stopping) {
            counters.routeErrors.increment();
        }
    }

    @FunctionalInterface
    private interface EventSource {
        byte[] json();
    }
}
