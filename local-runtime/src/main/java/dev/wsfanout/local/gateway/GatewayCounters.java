package dev.wsfanout.local.gateway;

import java.util.Map;

/**
 * A snapshot of what the gateway has done since it started, for tests and benchmarks.
 *
 * @param realConnectionsOpen      connections with a socket, open now
 * @param virtualConnectionsOpen   connections without a socket (see {@link WebSocketGateway#registerVirtualConnections}), open now
 * @param connectsAccepted         upgrades (and virtual registrations) whose $connect accepted them
 * @param connectsRejected         upgrades refused by $connect (non-2xx or an error), by a bad request, or by the connect rate
 * @param disconnects              $disconnect invocations started
 * @param postsByStatus            {@code POST @connections} calls by the HTTP status they were answered with
 * @param messagesDelivered        posted messages written to sockets
 * @param bytesDelivered           payload bytes of those messages
 * @param framesWritten            WebSocket frames those messages took (messages above 32 KB take several)
 * @param virtualMessagesDelivered posted messages accepted for virtual connections
 * @param virtualBytesDelivered    payload bytes of those messages
 * @param messagesReceived         data messages clients sent to the gateway
 * @param routeErrors              route invocations ($disconnect, message routes) that failed for good
 * @param disconnectRetries        $disconnect invocations that failed and were tried again
 * @param disconnectsDropped       $disconnects deliberately not delivered ({@link WebSocketGateway.Builder#droppedDisconnects})
 * @param connectsThrottled        upgrades refused with 429 by the new-connection rate ({@link WebSocketGateway.Builder#connectRateLimit}),
 *                                 before $connect; also counted in connectsRejected
 * @param postsBufferFull          posts refused with 429 because the client's buffer had no room
 *                                 ({@link WebSocketGateway.Builder#clientBufferBytes}); also counted in postsByStatus
 * @param authorizerInvocations    upgrades that reached the $connect authorizer's checks ({@link WebSocketGateway.Builder#connectAuthorizer})
 * @param connectsUnauthorized     upgrades the authorizer refused (401, 403 or 500); also counted in connectsRejected
 */
public record GatewayCounters(long realConnectionsOpen, long virtualConnectionsOpen,
                              long connectsAccepted, long connectsRejected, long disconnects,
                              Map<Integer, Long> postsByStatus,
                              long messagesDelivered, long bytesDelivered, long framesWritten,
                              long virtualMessagesDelivered, long virtualBytesDelivered,
                              long messagesReceived, long routeErrors, long disconnectRetries, long disconnectsDropped,
                              long connectsThrottled, long postsBufferFull,
                              long authorizerInvocations, long connectsUnauthorized) {

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
