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
 */
public record CellsSize(String name, int cells, int virtualPerCell, int socketsPerCell, int postsPerSecond, int partitions) {

    /**
     * CI's size: 3 cells of 6,000 at 1,000 posts/s each, about 6 s of posting per cell. Three cells
     * on 2 cores (three dynalites, ElasticMQs and gateways) carry 3,000 posts/s with room to spare,
     * so the run measures the cells' quotas, not the machine.
     */
    public static CellsSize small() {
        return new CellsSize("small", 3, 6_000, 50, 1_000, 100);
    }

    /** The budget, 2,000 posts/s per cell, for 20 s of posting per cell. */
    public static CellsSize full() {
        return new CellsSize("full", 3, 40_000, 200, 2_000, 500);
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
