package dev.wsfanout.local.gateway;

import java.util.Map;

/**
 * A snapshot of what the gateway has done since it started, for tests and benchmarks.
 *
 * @param realConnectionsOpen      connections with a socket, open now
 * @param virtualConnectionsOpen   connections without a socket (see {@link WebSocketGateway#registerVirtualConnections}), open now
 * @param connectsAccepted         upgrades (and virtual registrations) whose $connect accepted them
 * @param connectsRejected         upgrades refused by $connect (non-2xx or an error), or by a bad request
 * @param disconnects              $disconnect invocations started
 * @param postsByStatus            {@code POST @connections} calls by the HTTP status they were answered with
 * @param messagesDelivered        posted messages written to sockets
 * @param bytesDelivered           payload bytes of those messages
 * @param framesWritten            WebSocket frames those messages took (messages above 32 KB take several)
 * @param virtualMessagesDelivered posted messages accepted for virtual connections
 * @param virtualBytesDelivered    payload bytes of those messages
 * @param messagesReceived         data messages clients sent to the gateway
 * @param routeErrors              route invocations ($disconnect, message routes) that failed
 */
public record GatewayCounters(long realConnectionsOpen, long virtualConnectionsOpen,
                              long connectsAccepted, long connectsRejected, long disconnects,
                              Map<Integer, Long> postsByStatus,
                              long messagesDelivered, long bytesDelivered, long framesWritten,
                              long virtualMessagesDelivered, long virtualBytesDelivered,
                              long messagesReceived, long routeErrors) {

    public GatewayCounters {
        postsByStatus = Map.copyOf(postsByStatus);
    }

    /** Posts answered with {@code status}. */
    public long posts(int status) {
        return postsByStatus.getOrDefault(status, 0L);
    }

    public long postsTotal() {
        return postsByStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
