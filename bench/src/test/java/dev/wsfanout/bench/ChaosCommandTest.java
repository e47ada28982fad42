package dev.wsfanout.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChaosCommandTest {

    @Test
    void theSizesAreTheIssues() {
        ChaosCommand.Invocation small = ChaosCommand.parse("--size", "small");
        assertEquals(List.of(2_000, 500, 1_500, 200), List.of(small.size().connections(), small.size().sockets(),
                small.size().virtualConnections(), small.size().partitions()));
        assertEquals(1, small.seed());
        assertTrue(small.out().getFileName().toString().endsWith("-chaos-small"), small.out().toString());
        ChaosCommand.Invocation full = ChaosCommand.parse("--size", "FULL");
        assertEquals(List.of(20_000, 5_000, 1_000), List.of(full.size().connections(), full.size().sockets(), full.size().partitions()));
    }

    @Test
    void connectionsKeepTheSizesShareOfSocketsUnlessSocketsAreGiven() {
        ChaosSize scaled = ChaosCommand.parse("--size", "full", "--connections", "8000").size();
        assertEquals(List.of(8_000, 2_000), List.of(scaled.connections(), scaled.sockets()));
        ChaosSize both = ChaosCommand.parse("--connections", "3000", "--sockets", "0", "--size", "small").size();
        assertEquals(List.of(3_000, 0, 200), List.of(both.connections(), both.sockets(), both.partitions()));
        ChaosSize socketsOnly = ChaosCommand.parse("--size", "small", "--sockets", "2000").size();
        assertEquals(List.of(2_000, 2_000), List.of(socketsOnly.connections(), socketsOnly.sockets()));
    }

    @Test
    void seedOutAndTheQuotedCommand() {
        ChaosCommand.Invocation invocation = ChaosCommand.parse("--size", "small", "--seed", "-42", "--out", "/tmp/chaos-x");
        assertEquals(-42, invocation.seed());
        assertEquals(Path.of("/tmp/chaos-x"), invocation.out());
        assertTrue(invocation.command().startsWith("./wsfanout bench chaos --size small --seed -42 --out /tmp/chaos-x\n"),
                invocation.command());
    }

    @Test
    void badCommandLinesNameTheOption() {
        assertEquals("--size is required", message("--seed", "3"));
        assertEquals("--size must be small or full, was 'huge'", message("--size", "huge"));
        assertEquals("unknown option --clients", message("--size", "small", "--clients", "5"));
        assertEquals("--seed needs a value", message("--size", "small", "--seed"));
        assertEquals("--connections must be a whole number >= 1, was 0", message("--size", "small", "--connections", "0"));
        assertEquals("--sockets must be a whole number >= 0, was 'many'", message("--size", "small", "--sockets", "many"));
        assertEquals("--seed must be a whole number, was '1.5'", message("--size", "small", "--seed", "1.5"));
        assertEquals("--sockets must be between 0 and the connections (100), was 101",
                message("--size", "small", "--connections", "100", "--sockets", "101"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ChaosCommand.parse(args)).getMessage();
    }
}
