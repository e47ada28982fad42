package dev.wsfanout.model;

/**
 * A broadcast's counters. {@code queued} counts connections handed to the shards; each of them
 * ends as exactly one of delivered, gone or failed, so the broadcast is complete when those three
 * add up to queued. {@code retried} counts re-enqueued connections (an id retried twice counts twice).
 */
public record BroadcastTally(long queued, long delivered, long gone, long failed, long retried) {

    public static final BroadcastTally ZERO = new BroadcastTally(0, 0, 0, 0, 0);

    public long settled() {
        return delivered + gone + failed;
    }

    public boolean complete() {
        return settled() >= queued;
    }

    public BroadcastTally plus(BroadcastTally other) {
        return new BroadcastTally(queued + other.queued, delivered + other.delivered, gone + other.gone,
                failed + other.failed, retried + other.retried);
    }
}
