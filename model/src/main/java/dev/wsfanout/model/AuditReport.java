package dev.wsfanout.model;

import java.util.List;

/**
 * The audit function's answer. For a poll the counts and the fan-out's figures; a recount also says how
 * many connections the persisted plan holds and which chunks are not settled, so a user can tell
 * a slow broadcast (chunks queued or being posted) from a lost one.
 *
 * @param queued               connections the fan-out queued (0 until the Map is done)
 * @param partitions           partitions the fan-out walked (0 until the Map is done)
 * @param countedChunks        chunks whose outcome is in the tallies
 * @param firstDeliveryAt      epoch ms of the first post of the first counted chunk, or null
 * @param lastDeliveryAt       epoch ms of the last count, or null
 * @param planned              connections in the persisted plan (recount only; else -1)
 * @param complete             every planned connection has its outcome (recount only)
 * @param unsettledChunks      chunks of the plan (and their retry chunks) without a saved outcome or count
 * @param unsettledConnections the connections those chunks hold
 * @param unsettled            the first {@value #LISTED} of them
 */
public record AuditReport(long queued, long partitions, long delivered, long gone, long failed, long retried,
                          long countedChunks, Long firstDeliveryAt, Long lastDeliveryAt, long planned, boolean complete, long unsettledChunks, long unsettledConnections,
                          List<UnsettledChunk> unsettled) {

    public static final int LISTED = 20;

    public AuditReport {
        unsettled = List.copyOf(unsettled);
    }

    /**
     * A chunk that is not settled yet.
     *
     * @param state {@code queued} (no marker yet), {@code claimed} (being posted), or {@code posted} (outcome saved, count pending)
     */
    public record UnsettledChunk(String chunkId, long connections, String state) {
    }
}
