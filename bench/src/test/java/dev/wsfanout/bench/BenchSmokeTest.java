package dev.wsfanout.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The small benchmark end to end at an even smaller scale: every section runs on the real local
 * stack, with real client JVMs, and the report comes out with all its sections and plots. What it
 * checks is behaviour (every design reached every client, the report is complete), never speed.
 */
class BenchSmokeTest {

    @Test
    void theSmallBenchmarkWritesEverySectionAndPlot(@TempDir Path out) throws Exception {
        Path report = BenchMain.run(BenchMain.parse("--size", "small", "--clients", "60", "--virtual", "2000",
                "--quota-connections", "600", "--out", out.toString()));

        assertEquals(out.resolve(BenchmarkRun.REPORT_FILE), report);
        String text = Files.readString(report);
        for (String section : List.of("## 1. Real sockets", "## 2. The ceiling", "## 3. The alternatives", "## 4. Scale",
                "### Per-invocation postMessage throughput", "## 5. Quota", "## 6. Memory")) {
            assertTrue(text.contains(section), "report lacks section " + section);
        }
        assertTrue(text.contains("nproc:") && text.contains("ulimit -n:") && text.contains("openjdk version"), "machine description");
        assertTrue(text.contains("BenchMain --size small --clients 60"), "the exact command");
        assertFalse(text.contains("INCOMPLETE"), "every design reached every connection:\n" + text);
        assertTrue(text.contains("| 60 | 0 | 0 |"), "wsfanout reached all 60 clients, none missing, no duplicates:\n" + text);
        for (String png : List.of("latency-cdf.png", "deliveries-real-sockets.png", "deliveries-virtual.png", "deliveries-quota.png")) {
            Path plot = out.resolve(png);
            assertTrue(Files.size(plot) > 1000, png + " written");
            assertTrue(text.contains("](" + png + ")"), "report links " + png);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("--size must be small or full, was 'huge'",
                assertThrows(IllegalArgumentException.class, () -> BenchMain.parse("--size", "huge")).getMessage());
        assertEquals("--clients must be a positive whole number, was 'many'",
                assertThrows(IllegalArgumentException.class, () -> BenchMain.parse("--size", "small", "--clients", "many")).getMessage());
        assertEquals("unknown option --sockets",
                assertThrows(IllegalArgumentException.class, () -> BenchMain.parse("--sockets", "5")).getMessage());
        assertEquals("--size is required", assertThrows(IllegalArgumentException.class, BenchMain::parse).getMessage());
    }
}
