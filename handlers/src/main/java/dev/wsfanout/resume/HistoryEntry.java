package dev.wsfanout.resume;

import java.time.Instant;
import java.util.Objects;

/** One numbered broadcast of the stream: its number, the broadcast whose record holds the message, and its start. */
public record HistoryEntry(long seq, String broadcastId, Instant createdAt) {
    public HistoryEntry {
        Objects.requireNonNull(broadcastId, "broadcastId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
