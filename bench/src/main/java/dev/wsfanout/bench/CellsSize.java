package dev.wsfanout.bench;

import java.util.Locale;

/**
 * How big one cells run is ({@link CellsRun}).
 *
 * @param name                what the output calls it
 * @param cells               the cells of the multi-cell broadcast (compared with one cell)
 * @param virtualPerCell      virtual connections registered in each cell (through its real $connect)
 * @param socketsPerCell      real WebSocket clients in each cell
 * @param postsPerSecond      each cell's gateway @connections limit: the same budget in every cell, as
 *                            each account and Region has its own quota
 * @param partitions          PARTITION_COUNT of each cell
 * @param chunkSize           CHUNK_SIZE: small enough that the cell's chunks keep every postMessage
 *                            environment busy (each paces itself at its share of the budget, so an
 *                            idle one is budget unused), as a cell of 600,000 does with 100
 */
public record CellsSize(String name, int cells, int virtualPerCell, int socketsPerCell, int postsPerSecond, int partitions,
                        int chunkSize) {

    /**
     * CI's size: 3 cells of 2,050 at 200 posts/s each. Each cell runs as deployed: its postMessage
     * environments pace themselves at their share of the cell's budget (POST_RATE, the budget over
     * every environment), so a small broadcast, whose chunks keep only some of them busy, ends in a
     * tail below the budget; that is part of what it measures.
     */
    public static CellsSize small() {
        return new CellsSize("small", 3, 2_000, 50, 200, 100, 10);
    }

    /** Ten times the connections at 500 posts/s per cell: both environments of every shard busy for most of the run. */
    public static CellsSize full() {
        return new CellsSize("full", 3, 20_000, 500, 500, 200, 25);
    }

    /** The same run at another per-cell gateway budget. */
    public CellsSize withPostsPerSecond(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("--posts-per-second must be at least 1, was " + perSecond);
        }
        return new CellsSize(name, cells, virtualPerCell, socketsPerCell, perSecond, partitions, chunkSize);
    }

    public int connectionsPerCell() {
        return virtualPerCell + socketsPerCell;
    }

    public static CellsSize named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "small" -> small();
            case "full" -> full();
            default -> throw new IllegalArgumentException("--size must be small or full, was '" + name + "'");
        };
    }
}
