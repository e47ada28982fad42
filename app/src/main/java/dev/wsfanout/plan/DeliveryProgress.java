package dev.wsfanout.plan;

/**
 * What happened to the posts: deliveries (first success per connection), 429s, duplicates (a post
 * to a connection that already had the message) and connections given up on. A connection is
 * resolved once delivered or failed; the broadcast is over when all are.
 */
final class DeliveryProgress {

    private final long connections;
    private final PerSecondSeries deliveriesPerSecond = new PerSecondSeries();
    private final PerSecondSeries throttledPerSecond = new PerSecondSeries();
    private long delivered;
    private long failed;
    private long throttled;
    private long duplicates;
    private long lastDeliveryMicros;

    DeliveryProgress(long connections) {
        this.connections = connections;
    }

    void delivered(long atMicros, long count) {
        if (count > 0) {
            delivered += count;
            deliveriesPerSecond.add(atMicros, count);
            lastDeliveryMicros = atMicros;
        }
    }

    void throttled(long atMicros, long count) {
        if (count > 0) {
            throttled += count;
            throttledPerSecond.add(atMicros, count);
        }
    }

    void duplicates(long count) {
        duplicates += count;
    }

    void failed(long count) {
        failed += count;
    }

    boolean allResolved() {
        return delivered + failed >= connections;
    }

    long delivered() {
        return delivered;
    }

    long failed() {
        return failed;
    }

    long throttled() {
        return throttled;
    }

    long duplicates() {
        return duplicates;
    }

    long lastDeliveryMicros() {
        return lastDeliveryMicros;
    }

    long[] deliveriesPerSecond(long endMicros) {
        return deliveriesPerSecond.through(endMicros);
    }

    long[] throttledPerSecond(long endMicros) {
        return throttledPerSecond.through(endMicros);
    }
}
