package dev.wsfanout.local.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection with no socket: it is among the open connections (and in whatever $connect recorded), and
 * posted messages to it are counted instead of written. This is how a run drives more connections
 * than the process may open files.
 */
final class VirtualConnection extends GatewayConnection {

    private final LiveCounters counters;
    private final OpenConnections openConnections;
    private final VirtualDeliveryListener deliveries;
    private final AtomicBoolean closed = new AtomicBoolean();

    VirtualConnection(ConnectionInfo info, LiveCounters counters, OpenConnections openConnections, VirtualDeliveryListener deliveries) {
        super(info);
        this.counters = counters;
        this.openConnections = openConnections;
        this.deliveries = deliveries;
    }

    @Override
    boolean isVirtual() {
        return true;
    }

    @Override
    CompletableFuture<Delivery> deliver(byte[] utf8Text) {
        if (closed.get()) {
            return CompletableFuture.completedFuture(Delivery.GONE);
        }
        touch();
        counters.virtualMessagesDelivered.increment();
        counters.virtualBytesDelivered.add(utf8Text.length);
        deliveries.delivered(id(), utf8Text);
        return CompletableFuture.completedFuture(Delivery.DELIVERED);
    }

    @Override
    void close(CloseStatus status) {
        if (closed.compareAndSet(false, true)) {
            openConnections.ended(this, status);
        }
    }
}
