package dev.wsfanout.plan;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cells in the capacity model: each cell is one account's pipeline over its share of the connections. */
class CellPlanTest {

    private static final SimulationParameters SIX_HUNDRED_THOUSAND = SimulationParameters.builder().connections(600_000).build();

    @Test
    void aCellCarriesItsShareOfTheConnectionsAndTheBroadcastTakesItsTimePlusTheStart() {
        CellPlan three = CellPlan.of(SIX_HUNDRED_THOUSAND, 3, 500, 0);
        CellPlan alone = CellPlan.of(SIX_HUNDRED_THOUSAND.toBuilder().connections(200_000).build(), 1, 500, 0);

        assertEquals(200_000, three.connectionsPerCell());
        assertEquals(alone.cell().result().completionSeconds() + 0.5, three.completionSeconds(), 1e-9,
                "each cell posts against its own account's quota, so a cell is one 200,000-connection broadcast");
        assertEquals(0, alone.cellStartSeconds(), "one cell is today's layout: nothing to start across accounts");
    }

    @Test
    void moreCellsAreFasterAndTheQuotaFloorShrinksWithTheShare() {
        CellPlan one = CellPlan.of(SIX_HUNDRED_THOUSAND, 1, 500, 0);
        CellPlan ten = CellPlan.of(SIX_HUNDRED_THOUSAND, 10, 500, 0);

        assertTrue(one.finished() && ten.finished());
        assertTrue(ten.completionSeconds() < one.completionSeconds() / 3, one.completionSeconds() + " s vs " + ten.completionSeconds() + " s");
        assertEquals((600_000 - 5_000) / 10_000.0, one.quotaFloorSeconds(), 1e-9);
        assertEquals((60_000 - 5_000) / 10_000.0, ten.quotaFloorSeconds(), 1e-9);
        assertTrue(ten.deliveriesPerSecond() > 10_000, "past one account's 10,000/s: " + ten.deliveriesPerSecond());
    }

    @Test
    void anUnevenSplitRoundsTheLargestCellUp() {
        assertEquals(33_334, CellPlan.of(SIX_HUNDRED_THOUSAND.toBuilder().connections(100_000).build(), 3, 500, 0).connectionsPerCell());
    }

    @Test
    void zeroCellsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellPlan.of(SIX_HUNDRED_THOUSAND, 0, 500, 0));
        assertTrue(e.getMessage().contains("--cells"), e.getMessage());
    }
}
