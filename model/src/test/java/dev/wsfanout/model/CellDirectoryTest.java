package dev.wsfanout.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CellDirectoryTest {

    @Test
    void aDeployedCellIsNamedByItsAccountAndRegionAndItsPartsByTheFixedNames() {
        CellDirectory cells = CellDirectory.parseDeployed("111111111111/eu-west-1, 222222222222/us-east-1");

        assertEquals(List.of("111111111111/eu-west-1", "222222222222/us-east-1"), cells.names());
        CellDirectory.Cell first = cells.cells().get(0);
        assertEquals("arn:aws:states:eu-west-1:111111111111:stateMachine:wsfanout-broadcast", first.stateMachineArn());
        assertEquals("arn:aws:iam::111111111111:role/wsfanout-cell-access-eu-west-1", first.roleArn());
        assertEquals(cells, CellDirectory.fromJson(cells.toJson()), "the function's CELLS reads back as written");
    }

    @Test
    void aBadListSaysWhichEntryAndWhy() {
        assertEquals("cells: 'eu-west-1' is not account/region (e.g. 111111111111/eu-west-1)",
                assertThrows(IllegalArgumentException.class, () -> CellDirectory.parseDeployed("eu-west-1")).getMessage());
        assertEquals("cell account 1111 is not a 12-digit AWS account id",
                assertThrows(IllegalArgumentException.class, () -> CellDirectory.parseDeployed("1111/eu-west-1")).getMessage());
        assertEquals("cell Region mars is not an AWS Region name such as eu-west-1",
                assertThrows(IllegalArgumentException.class, () -> CellDirectory.parseDeployed("111111111111/mars")).getMessage());
        assertEquals("cell 111111111111/eu-west-1 is listed twice", assertThrows(IllegalArgumentException.class,
                () -> CellDirectory.parseDeployed("111111111111/eu-west-1,111111111111/eu-west-1")).getMessage());
    }

    @Test
    void selectingNamesAnUnknownCellAndKeepsTheOrderAsked() {
        CellDirectory cells = CellDirectory.parseDeployed("111111111111/eu-west-1,222222222222/us-east-1");

        assertEquals(cells.cells(), cells.select(List.of()));
        assertEquals(List.of(cells.cells().get(1)), cells.select(List.of("222222222222/us-east-1")));
        assertEquals("no cell c9; the cells are [111111111111/eu-west-1, 222222222222/us-east-1]",
                assertThrows(IllegalArgumentException.class, () -> cells.select(List.of("c9"))).getMessage());
    }
}
