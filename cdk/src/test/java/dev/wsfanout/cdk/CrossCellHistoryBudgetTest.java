package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.model.CellsDefinitionSubstitutions;
import dev.wsfanout.model.DeploymentDefaults;
import org.junit.jupiter.api.Test;

/**
 * The cross-cell machine's history budget ({@link CrossCellHistoryBudget}): its arithmetic, its
 * refusal, and the definition it counts. WsfanoutCellsTest checks that the app applies it.
 */
class CrossCellHistoryBudgetTest {

    private static final int DEADLINE = DeploymentDefaults.DELIVERY_DEADLINE_SECONDS;
    private static final int WAIT = CellsDefinitionSubstitutions.DEFAULT_CELL_WAIT_SECONDS;

    @Test
    void theDefaultsFitThreeAndEighteenCells() {
        // 600 s / 60 s + 2 = 12 calls a cell, 9 + 12 × 7 = 93 events a cell.
        assertEquals(12, CrossCellHistoryBudget.calls(DEADLINE, WAIT));
        assertEquals(93, CrossCellHistoryBudget.eventsPerCell(DEADLINE, WAIT));
        assertEquals(20 + 1_000 + 3 * 93, CrossCellHistoryBudget.worstCaseEvents(3, DEADLINE, WAIT));
        assertEquals(20 + 1_000 + 18 * 93, CrossCellHistoryBudget.worstCaseEvents(18, DEADLINE, WAIT));
        assertDoesNotThrow(() -> CrossCellHistoryBudget.require(3, DEADLINE, WAIT));
        assertDoesNotThrow(() -> CrossCellHistoryBudget.require(18, DEADLINE, WAIT));
    }

    @Test
    void atTheDefaultsTheBudgetEndsAt257Cells() {
        int most = CrossCellHistoryBudget.maxCells(DEADLINE, WAIT);
        assertEquals(257, most);
        assertEquals(24_921, CrossCellHistoryBudget.worstCaseEvents(most, DEADLINE, WAIT));
        assertEquals(25_014, CrossCellHistoryBudget.worstCaseEvents(most + 1, DEADLINE, WAIT));
        assertDoesNotThrow(() -> CrossCellHistoryBudget.require(most, DEADLINE, WAIT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossCellHistoryBudget.require(most + 1, DEADLINE, WAIT));
        assertTrue(e.getMessage().startsWith("258 cells with deliveryDeadlineSeconds=600 and cellWaitSeconds=60: "
                + "the cross-cell state machine may make up to 12 status calls a cell"), e.getMessage());
        assertTrue(e.getMessage().contains("25,014 execution history events"), e.getMessage());
        assertTrue(e.getMessage().contains("Deploy at most 257 cells (-c cells), or set cellWaitSeconds to at least 61,"
                + " or set deliveryDeadlineSeconds to at most 599"), e.getMessage());
    }

    @Test
    void theLongestDeadlineAndTheShortestWaitAreExactBounds() {
        // 3 cells share 23,980 events: 7,993 each, 1,140 calls, so 1,138 full waits besides the 2.
        assertEquals(11_389, CrossCellHistoryBudget.maxDeadlineSeconds(3, 10));
        assertDoesNotThrow(() -> CrossCellHistoryBudget.require(3, 11_389, 10));
        assertThrows(IllegalArgumentException.class, () -> CrossCellHistoryBudget.require(3, 11_390, 10));
        assertEquals(76, CrossCellHistoryBudget.minCellWaitSeconds(3, 86_400));
        assertDoesNotThrow(() -> CrossCellHistoryBudget.require(3, 86_400, 76));
        assertThrows(IllegalArgumentException.class, () -> CrossCellHistoryBudget.require(3, 86_400, 75));
        // Every bound the refusal names is one that passes.
        for (int cells : new int[] {1, 3, 18, 40}) {
            for (int wait : new int[] {10, 60, 600}) {
                long deadline = CrossCellHistoryBudget.maxDeadlineSeconds(cells, wait);
                assertTrue(CrossCellHistoryBudget.worstCaseEvents(cells, (int) deadline, wait)
                        <= CrossCellHistoryBudget.MAX_EVENTS, cells + "/" + wait);
                assertTrue(CrossCellHistoryBudget.worstCaseEvents(cells, (int) deadline + 1, wait)
                        > CrossCellHistoryBudget.MAX_EVENTS, cells + "/" + wait);
            }
        }
    }

    @Test
    void aDayOfDeadlineAtTenSecondCallsIsRefusedNamingWhatToChange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossCellHistoryBudget.require(3, 86_400, 10));
        assertEquals("3 cells with deliveryDeadlineSeconds=86400 and cellWaitSeconds=10: the cross-cell state machine "
                + "may make up to 8,642 status calls a cell (deliveryDeadlineSeconds / cellWaitSeconds + 2), 182,529 "
                + "execution history events (7 a call and 9 more a cell, 20 outside the cells, 1,000 kept for "
                + "retries); a Standard execution fails at 25,000 events (Step Functions quotas, docs/aws-limits.md). "
                + "Not one cell fits these two values; set cellWaitSeconds to at least 76, or set "
                + "deliveryDeadlineSeconds to at most 11,389", e.getMessage());
    }

    /** The states the counts are read off, with their types: a change to the definition shows here first. */
    @Test
    void theCountsAreThoseOfTheDefinitionsStates() throws IOException {
        JsonNode definition = new ObjectMapper().readTree(Path.of("..", CellsDefinitionSubstitutions.DEFINITION_FILE)
                .toFile());
        assertEquals(Map.of("Prepare", "Task", "ClaimSequence", "Task", "InvalidInput", "Fail", "Cells", "Map",
                "AllCellsDelivered?", "Choice", "Delivered", "Succeed", "CellsFailed", "Fail"),
                types(definition.get("States")));
        JsonNode cells = definition.get("States").get("Cells");
        assertEquals("INLINE", cells.at("/ItemProcessor/ProcessorConfig/Mode").asText(),
                "an inline Map writes every iteration into the parent's history");
        JsonNode iteration = cells.at("/ItemProcessor/States");
        assertEquals(Map.of("StartCell", "Task", "WaitForCell", "Task", "CellEnded?", "Choice", "CellEnded", "Pass"),
                types(iteration));
        // The loop: WaitForCell → CellEnded? → WaitForCell while the cell runs.
        assertEquals("CellEnded?", iteration.at("/WaitForCell/Next").asText());
        assertEquals("WaitForCell", iteration.at("/CellEnded?/Choices/0/Next").asText());
        assertEquals("CellEnded", iteration.at("/CellEnded?/Default").asText());
        // The status call waits the cellWaitSeconds the budget divides the deadline by.
        assertEquals("{% ${" + CellsDefinitionSubstitutions.CELL_WAIT_SECONDS + "} %}",
                iteration.at("/WaitForCell/Arguments/Payload/waitSeconds").asText());
    }

    private static Map<String, String> types(JsonNode states) {
        Map<String, String> types = new LinkedHashMap<>();
        states.fields().forEachRemaining(e -> types.put(e.getKey(), e.getValue().get("Type").asText()));
        return types;
    }
}
