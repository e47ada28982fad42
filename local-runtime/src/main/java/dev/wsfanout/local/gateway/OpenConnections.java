package dev.wsfanout.local.gateway;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections by id. Ending a connection here is what triggers its single $disconnect,
 * whichever side closed it and however often close is reported.
 */
final class OpenConnections {

    private final Map<String, GatewayConnection> open = new ConcurrentHashMap<>();
    private final RouteInvoker routes;
    private final LiveCounters counters;

    OpenConnections(RouteInvoker routes, LiveCounters counters) {
        this.routes = routes;
        this.counters = counters;
    }

    void add(GatewayConnection connection) {
        open.put(connection.id(), connection);
        (connection.isVirtual() ? counters.virtualConnectionsOpen : counters.realConnectionsOpen).increment();
    }

    /** The open connection with this id, or null. */
    GatewayConnection get(String connectionId) {
        return open.get(connectionId);
    }

    void ended(GatewayConnection connection, CloseStatus status) {
        if (open.remove(connection.id(), connection)) {
            (connection.isVirtual() ? counters.virtualConnectionsOpen : counters.realConnectionsOpen).decrement();
            routes.disconnect(connection.info(), status);
        }
    }

    List<GatewayConnection> all() {
        return List.copyOf(open.values());
    }
}
