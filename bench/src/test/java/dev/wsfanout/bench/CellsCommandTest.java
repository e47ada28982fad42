package dev.wsfanout.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CellsCommandTest {

    @Test
    void aBudgetGivenReplacesTheSizesAndKeepsTheRest() {
        CellsSize small = CellsCommand.parse("--size", "small");
        assertEquals(List.of(3, 2_000, 50, 200), List.of(small.cells(), small.virtualPerCell(), small.socketsPerCell(), small.postsPerSecond()));
        CellsSize slower = CellsCommand.parse("--posts-per-second", "80", "--size", "small");
        assertEquals(small.withPostsPerSecond(80), slower);
        assertEquals(List.of(3, 2_000, 50, 80), List.of(slower.cells(), slower.virtualPerCell(), slower.socketsPerCell(), slower.postsPerSecond()));
    }

    @Test
    void badCommandLinesNameTheOption() {
        assertEquals("--size is required", message("--posts-per-second", "80"));
        assertEquals("--posts-per-second must be a positive whole number, was 0", message("--size", "small", "--posts-per-second", "0"));
        assertEquals("--posts-per-second must be a positive whole number, was 'fast'",
                message("--size", "small", "--posts-per-second", "fast"));
        assertEquals("unknown option --cells", message("--size", "small", "--cells", "5"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> CellsCommand.parse(args)).getMessage();
    }
}
