package dev.wsfanout.local.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The gateway's running counters; {@link #snapshot} turns them into a {@link GatewayCounters}. */
final class LiveCounters {

    private static final int STATUS_CODES = 600;

    final LongAdder realConnectionsOpen = new LongAdder();
    final LongAdder virtualConnectionsOpen = new LongAdder();
    final LongAdder connectsAccepted = new LongAdder();
    final LongAdder connectsRejected = new LongAdder();
    final LongAdder connectsThrottled = new LongAdder();
    final LongAdder postsBufferFull = new LongAdder();
    final LongAdder disconnects = new LongAdder();
    final LongAdder messagesDelivered = new LongAdder();
    final LongAdder bytesDelivered = new LongAdder();
    final LongAdder framesWritten = new LongAdder();
    final LongAdder virtualMessagesDelivered = new LongAdder();
    final LongAdder virtualBytesDelivered = new LongAdder();
    final LongAdder messagesReceived = new LongAdder();
    final LongAdder routeErrors = new LongAdder();
    final LongAdder disconnectRetries = new LongAdder();
    final LongAdder disconnectsDropped = new LongAdder();
    final LongAdder authorizerInvocations = new LongAdder();
    final LongAdder connectsUnauthorized = new LongAdder();
    private final LongAdder[] postsByStatus = new LongAdder[STATUS_CODES];

    LiveCounters() {
        for (int i = 0; i < STATUS_CODES; i++) {
            postsByStatus[i] = new LongAdder();
        }
    }

    void post(int status) {
        postsByStatus[status].increment();
    }

    GatewayCounters snapshot() {
        Map<Integer, Long> posts = new HashMap<>();
        for (int status = 0; status < STATUS_CODES; status++) {
            long count = postsByStatus[status].sum();
            if (count > 0) {
                posts.put(status, count);
            }
        }
        return new GatewayCounters(realConnectionsOpen.sum(), virtualConnectionsOpen.sum(),
                connectsAccepted.sum(), connectsRejected.sum(), disconnects.sum(), posts,
                messagesDelivered.sum(), bytesDelivered.sum(), framesWritten.sum(),
                virtualMessagesDelivered.sum(), virtualBytesDelivered.sum(),
                messagesReceived.sum(), routeErrors.sum(), disconnectRetries.sum(), disconnectsDropped.sum(),
                connectsThrottled.sum(), postsBufferFull.sum(), authorizerInvocations.sum(), connectsUnauthorized.sum());
    }
}
