package dev.wsfanout.fanout;

import java.util.List;

/**
 * One persisted piece of a batch's plan: what the first attempt of a query batch decided to
 * send, which every later attempt sends again unchanged, whatever the registry holds by then.
 *
 * @param scope  {@code b<first partition>} for the batch's packed small partitions, {@code p<partition>-g<page>} for a page
 * @param chunks the chunks, in order
 * @param last   for a page: whether it was its partition's last
 * @param cursor for a page: the last connection id it covers (the next page starts after it); null for the packed entry
 * @param packed for the packed entry: the partitions it holds whole; empty for a page
 */
public record PlanEntry(String scope, List<PlannedChunk> chunks, boolean last, String cursor, List<Integer> packed) {

    public PlanEntry {
        chunks = List.copyOf(chunks);
        packed = List.copyOf(packed);
    }

    public static String packedScope(int firstPartitionId) {
        return "b" + firstPartitionId;
    }

    public static String pageScope(int partitionId, int page) {
        return "p" + partitionId + "-g" + page;
    }

    public long connections() {
        return chunks.stream().mapToLong(c -> c.connectionIds().size()).sum();
    }
}
