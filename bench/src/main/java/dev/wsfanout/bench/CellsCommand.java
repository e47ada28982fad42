package dev.wsfanout.bench;

import java.util.List;
import java.util.Map;

/**
 * {@code wsfanout bench cells}: the command line of the cells run ({@link CellsRun}). Exits 0 when
 * every connection got each broadcast exactly once, 1 when not (or the run could not be made), 2
 * on a bad command line. The ratio is measured and printed, not asserted: speed is a benchmark's figure.
 */
public final class CellsCommand {

    static final String USAGE = """
            usage: BenchMain cells --size small|full [--posts-per-second N]
              one broadcast over one local cell, then over three, each cell's gateway limited to the same posts/s
              (its own account's quota); prints deliveries/s of each and their ratio, and checks every
              connection of every cell got each broadcast exactly once
              --size small|full     small: 2,050 connections per cell at 200 posts/s (CI);
                                    full: 20,500 connections per cell at 500 posts/s
              --posts-per-second N  each cell's gateway budget instead of the size's
            """;

    private CellsCommand() {
    }

    public static void main(String[] args) {
        CellsSize size;
        try {
            size = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench cells: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        long start = System.currentTimeMillis();
        List<CellsRun.Outcome> outcomes;
        try {
            outcomes = new CellsRun(size, new Progress(System.err)).run();
        } catch (RuntimeException | InterruptedException e) {
            System.err.println("bench cells: the run could not be made: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        CellsReport report = new CellsReport(size, outcomes, (System.currentTimeMillis() - start) / 1000.0);
        System.out.println(report.text());
        System.exit(report.held() ? 0 : 1);
    }

    /** @throws IllegalArgumentException naming the option that is missing, unknown or malformed */
    static CellsSize parse(String... args) {
        CellsSize size = null;
        Integer postsPerSecond = null;
        for (Map.Entry<String, String> option : CommandLine.options(args, USAGE)) {
            switch (option.getKey()) {
                case "--size" -> size = CellsSize.named(option.getValue());
                case "--posts-per-second" -> postsPerSecond = CommandLine.positive(option.getKey(), option.getValue());
                default -> throw new IllegalArgumentException("unknown option " + option.getKey());
            }
        }
        if (size == null) {
            throw new IllegalArgumentException("--size is required");
        }
        return postsPerSecond == null ? size : size.withPostsPerSecond(postsPerSecond);
    }
}
