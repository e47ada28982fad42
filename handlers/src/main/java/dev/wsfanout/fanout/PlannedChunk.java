package dev.wsfanout.fanout;

import java.util.List;

/** One chunk of a persisted plan: its id and the connection ids it was planned with. */
public record PlannedChunk(String chunkId, List<String> connectionIds) {
    public PlannedChunk {
        connectionIds = List.copyOf(connectionIds);
    }
}
