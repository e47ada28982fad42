package dev.wsfanout.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run plan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new PlanCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exitCode = command.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void printsCompletionBottleneckRateAndWhatToRaiseForBothDesigns() {
        Run run = plan("--connections", "40000", "--raise-steps", "1");

        assertEquals(0, run.exitCode(), run.err());
        assertAll(
                () -> assertTrue(run.out().contains("wsfanout: 40,000 connections"), run.out()),
                () -> assertTrue(run.out().contains("seed: 40,000 connections"), run.out()),
                () -> assertTrue(run.out().contains("completion "), run.out()),
                () -> assertTrue(run.out().contains("bottleneck "), run.out()),
                () -> assertTrue(run.out().contains("deliveries/s"), run.out()),
                () -> assertTrue(run.out().contains("what to raise first\n    1. "), run.out()));
    }

    @Test
    void cellsDivideTheConnectionsAndAListPrintsOneRowPerCount() {
        Run table = plan("--connections", "60000", "--cells", "1,3", "--raise-steps", "0");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("60,000 connections; per cell (account and Region): API Gateway 10,000 RPS"), table.out());
        assertTrue(table.out().matches("(?s).*\\n\\s+1\\s+60,000\\s+[0-9.]+ s.*\\n\\s+3\\s+20,000\\s+[0-9.]+ s.*"), table.out());

        Run one = plan("--connections", "60000", "--cells", "3", "--raise-steps", "0");
        assertEquals(0, one.exitCode(), one.err());
        assertTrue(one.out().startsWith("cells: 3, 20,000 connections each (of 60,000)"), one.out());
        assertTrue(one.out().contains("one cell's broadcast:\nwsfanout: 20,000 connections"), one.out());

        Run matrix = plan("--cells", "3", "--matrix");
        assertEquals(2, matrix.exitCode());
        assertTrue(matrix.err().contains("--cells and --matrix do not combine"), matrix.err());
    }

    @Test
    void jsonCarriesTheResultOfEachRequestedDesign() {
        Run run = plan("--connections", "30000", "--design", "wsfanout", "--json", "--raise-steps", "1");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode plans = JsonCodec.readTree(run.out());
        assertEquals(1, plans.size());
        JsonNode result = plans.get(0).get("result");
        assertEquals("WSFANOUT", result.get("design").asText());
        assertEquals(30_000, result.get("delivered").asLong() + result.get("failed").asLong());
        assertTrue(result.get("completionSeconds").asDouble() > 0);
        assertEquals(1, plans.get(0).get("raiseFirst").size());
    }

    @Test
    void anOutOfRangeValueIsAUsageErrorNamingTheOption() {
        Run run = plan("--rps", "0");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--rps must be between 1 and"), run.err());
    }

    @Test
    void anUnknownDesignIsAUsageErrorNamingTheOption() {
        Run run = plan("--design", "swarm");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--design must be wsfanout, seed or both, got swarm"), run.err());
    }

    @Test
    void everyModelParameterSaysItsDefaultAndWhereTheValueComesFrom() {
        Set<String> notModelParameters = Set.of("--help", "--json", "--matrix", "--design",
                "--raise-steps", "--connections", "--message-bytes", "--seed", "--max-seconds");
        List<String> sources = List.of("[AWS]", "[wsfanout]", "[assumption]", "[seed]");
        for (OptionSpec option : new CommandLine(new PlanCommand()).getCommandSpec().options()) {
            String name = option.longestName();
            String description = String.join(" ", option.description());
            if (!Set.of("--help", "--json", "--matrix").contains(name)) {
                assertTrue(description.contains("Default: "), name + " states no default");
            }
            if (!notModelParameters.contains(name)) {
                assertTrue(sources.stream().anyMatch(description::startsWith), name + " states no source: " + description);
            }
        }
    }
}
