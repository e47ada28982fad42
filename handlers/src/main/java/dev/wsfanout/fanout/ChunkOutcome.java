package dev.wsfanout.fanout;

import dev.wsfanout.model.BroadcastTally;

import java.util.List;

/**
 * What posting one chunk came to, as its marker keeps it: enough to finish the chunk's settlement
 * (registry removals, the retry chunk, the count) from the marker alone, without posting again.
 *
 * @param delivered     connections that got the message
 * @param goneIds       connections answered 410: they leave the registry
 * @param retryIds      connections tried and worth another attempt: they travel on in the retry chunk
 * @param throttledIds  connections that met nothing but 429s: they travel on in the throttled chunk, spending no attempt
 * @param untriedIds    connections the invocation had no time to try: they travel on, at the same attempt, in the carry-over chunk
 * @param failedIds     connections given up on, with {@code failureReason}
 * @param firstPostMillis when the first post of the chunk started (epoch ms)
 */
public record ChunkOutcome(long delivered, List<String> goneIds, List<String> retryIds, List<String> throttledIds, List<String> untriedIds, List<String> failedIds,
                           String failureReason, long firstPostMillis) {

    public ChunkOutcome {
        goneIds = List.copyOf(goneIds);
        retryIds = List.copyOf(retryIds);
        throttledIds = List.copyOf(throttledIds);
        untriedIds = List.copyOf(untriedIds);
        failedIds = List.copyOf(failedIds);
    }

    /** The counts this chunk adds to its broadcast's tally. */
    public BroadcastTally tally() {
        return new BroadcastTally(0, delivered, goneIds.size(), failedIds.size(), retryIds.size() + throttledIds.size() + untriedIds.size());
    }
}
