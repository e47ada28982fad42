package dev.wsfanout.bench;

import dev.wsfanout.local.gateway.VirtualDeliveryListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * What one cell's gateway delivered to its virtual connections, per broadcast: the copies each
 * connection got (a missed connection and a duplicated one both show), and when, to the
 * millisecond, for the rate.
 */
final class CellDeliveries implements VirtualDeliveryListener {

    private final Map<String, Broadcast> byBroadcast = new ConcurrentHashMap<>();

    /** One broadcast's deliveries in this cell. */
    static final class Broadcast {
        private final Map<String, AtomicInteger> copies = new ConcurrentHashMap<>();
        private final Map<Long, AtomicInteger> perSecond = new ConcurrentHashMap<>();
        private final LongAccumulator first = new LongAccumulator(Math::min, Long.MAX_VALUE);
        private final LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);

        private void add(String connectionId, long millis) {
            copies.computeIfAbsent(connectionId, id -> new AtomicInteger()).incrementAndGet();
            perSecond.computeIfAbsent(millis / 1000, s -> new AtomicInteger()).incrementAndGet();
            first.accumulate(millis);
            last.accumulate(millis);
        }

        int copies(String connectionId) {
            AtomicInteger n = copies.get(connectionId);
            return n == null ? 0 : n.get();
        }

        long deliveries() {
            return copies.values().stream().mapToLong(AtomicInteger::get).sum();
        }

        long firstMillis() {
            return first.get();
        }

        long lastMillis() {
            return last.get();
        }

        /** Deliveries in the epoch second {@code second}. */
        int inSecond(long second) {
            AtomicInteger n = perSecond.get(second);
            return n == null ? 0 : n.get();
        }
    }

    @Override
    public void delivered(String connectionId, byte[] utf8Text) {
        long now = System.currentTimeMillis();
        String broadcastId = VirtualReceipts.broadcastIdOf(utf8Text);
        if (broadcastId != null) {
            byBroadcast.computeIfAbsent(broadcastId, id -> new Broadcast()).add(connectionId, now);
        }
    }

    Broadcast of(String broadcastId) {
        return byBroadcast.computeIfAbsent(broadcastId, id -> new Broadcast());
    }
}
