package dev.wsfanout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wsfanout demo}, small: its own stack on free ports, real clients, one broadcast, verified at the clients. */
class DemoCommandTest {

    @TempDir
    Path home;

    @Test
    void fiftyClientsAllGetTheBroadcastExactlyOnce() {
        CliRun run = CliRun.of(context(), "demo", "--clients", "50", "--partitions", "20");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("OK: delivered = 50 of 50 clients, exactly once = 50, missing = 0, duplicated = 0, "
                + "gone = 0, failed = 0"), run::toString);
        assertTrue(run.out().contains("connections  50\n") && run.out().contains("partitions   20\n"), run::toString);
        Matcher percentiles = Pattern.compile("p50 +p95 +p99 +max\\R +(\\d+) ms +(\\d+) ms +(\\d+) ms +(\\d+) ms").matcher(run.out());
        assertTrue(percentiles.find(), run::toString);
        long p50 = Long.parseLong(percentiles.group(1));
        long max = Long.parseLong(percentiles.group(4));
        assertTrue(0 < p50 && p50 <= max, run::toString);
        assertTrue(run.err().contains("connected 50 WebSocket clients"), run::toString);
    }

    @Test
    void moreClientsThanTheOpenFileLimitAllowsAreRefusedBeforeAnythingStarts() {
        long limit = ClientLimit.openFileLimit();
        long tooMany = ClientLimit.maxClients(limit) + 1;
        CliRun run = CliRun.of(context(), "demo", "--clients", Long.toString(tooMany));

        assertEquals(2, run.exitCode(), run::toString);
        List<String> lines = run.errLines();
        assertEquals(1, lines.size(), run::toString);
        assertTrue(lines.get(0).contains("each client needs 2 open files") && lines.get(0).contains("(ulimit -n)"), run::toString);
    }

    private CliContext context() {
        return new CliContext(home.resolve("local.json"), Map.of());
    }
}
