package dev.wsfanout.plan;

import java.util.Locale;

/**
 * A broadcast spread over {@code cells} wsfanout deployments, each in its own account and Region
 * with the quotas the parameters give (API Gateway's @connections throttle, Lambda concurrency and
 * the rest are per account and Region), the connections divided evenly among them. The home
 * Region's state machine starts every cell's broadcast at once and waits for all, so the broadcast
 * takes the largest cell's time plus the start of the cells (issue 15, docs/capacity-model.md).
 *
 * @param connectionsPerCell the largest cell's share (connections / cells, rounded up)
 * @param cell               the simulated broadcast of that cell
 * @param cellStartSeconds   StartExecution in the home Region until the cells' executions run
 */
public record CellPlan(int cells, int connections, int connectionsPerCell, DesignPlan cell, double cellStartSeconds) {

    public static CellPlan of(SimulationParameters parameters, int cells, double cellStartMs, int raiseSteps) {
        if (cells < 1) {
            throw new IllegalArgumentException("--cells must be 1 or more, got " + cells);
        }
        int perCell = (int) Math.ceil((double) parameters.connections() / cells);
        DesignPlan cell = DesignPlan.of(parameters.toBuilder().connections(perCell).build(), Design.WSFANOUT, raiseSteps);
        return new CellPlan(cells, parameters.connections(), perCell, cell, cells == 1 ? 0 : cellStartMs / 1000);
    }

    /** From the home Region's StartExecution until the last cell's state machine sees its last delivery. */
    public double completionSeconds() {
        return cellStartSeconds + cell.result().completionSeconds();
    }

    public boolean finished() {
        return cell.result().finished();
    }

    /** The API Gateway floor of one cell: what its own account's bucket alone allows. */
    public double quotaFloorSeconds() {
        return cell.quotaFloorSeconds();
    }

    /** Deliveries per second over the whole broadcast, all cells together. */
    public double deliveriesPerSecond() {
        return connections / completionSeconds();
    }

    String summary() {
        return String.format(Locale.ROOT,
                "cells: %d, %,d connections each (of %,d), every cell in its own account and Region with the quotas below;%n"
                        + "  completion     %s (%.1f s to start the cells from the home Region, then one cell's broadcast)%n"
                        + "  quota floor    %.1f s per cell; %,.0f deliveries/s over the broadcast, all cells together%n",
                cells, connectionsPerCell, connections,
                finished() ? String.format(Locale.ROOT, "%.1f s", completionSeconds()) : "not within --max-seconds",
                cellStartSeconds, quotaFloorSeconds(), finished() ? deliveriesPerSecond() : 0);
    }
}
