package dev.wsfanout.bench;

import dev.wsfanout.local.ProjectHome;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * {@code wsfanout bench chaos}: the command line of the chaos run ({@link ChaosRun}). Exits 0 when
 * the guarantee held, 1 when it did not (or the run could not be made), 2 on a bad command line.
 */
public final class ChaosCommand {

    static final String USAGE = """
            usage: BenchMain chaos --size small|full [options]
              one broadcast through the whole pipeline with every fault at once (DynamoDB and SQS throttles and
              lost responses, gateway 429s and 5xx, Map reruns, crashed postMessage invocations, 5% of the
              connections closing); checks the guarantee against what every client received, writes report.md
              --size small|full     small: 2,000 connections (500 real sockets), 200 partitions, under 3 min (CI);
                                    full: 20,000 connections (5,000 real sockets), 1,000 partitions
              --connections N       connections in all (real sockets + virtual connections); the size's share
                                    of them (a quarter) are real sockets unless --sockets says otherwise
              --sockets N           how many of the connections are real WebSocket sockets (0..connections)
              --seed N              seeds every fault decision and the choice of connections to close (default 1)
              --out DIR             report folder (default bench/results/<date-time>-chaos-<size>)
            """;

    private ChaosCommand() {
    }

    /** What the command line asks for, and the command as the report quotes it. */
    public record Invocation(ChaosSize size, long seed, Path out, String command) {
    }

    /** Runs the chaos run for {@code args} (the words after {@code chaos}) and exits. */
    public static void main(String[] args) {
        Invocation invocation;
        try {
            invocation = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench chaos: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        boolean held;
        try {
            held = new ChaosRun(invocation, new Progress(System.err)).run();
        } catch (RuntimeException e) {
            System.err.println("bench chaos: the run could not be made: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        System.exit(held ? 0 : 1);
    }

    /** @throws IllegalArgumentException naming the option that is missing, unknown or malformed */
    public static Invocation parse(String... args) {
        ChaosSize size = null;
        Integer connections = null;
        Integer sockets = null;
        long seed = 1;
        Path out = null;
        for (Map.Entry<String, String> entry : CommandLine.options(args, USAGE)) {
            String option = entry.getKey();
            String value = entry.getValue();
            switch (option) {
                case "--size" -> size = ChaosSize.named(value);
                case "--connections" -> connections = whole(option, value, 1);
                case "--sockets" -> sockets = whole(option, value, 0);
                case "--seed" -> seed = CommandLine.seed(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (size == null) {
            throw new IllegalArgumentException("--size is required");
        }
        if (connections != null || sockets != null) {
            int total = connections == null ? size.connections() : connections;
            int share = (int) Math.round((double) total * size.sockets() / size.connections());
            size = size.resized(total, sockets == null ? share : sockets);
        }
        if (out == null) {
            out = ProjectHome.locate().resolve("bench/results").resolve(
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss")) + "-chaos-" + size.name());
        }
        String arguments = String.join(" ", args);
        String command = "./wsfanout bench chaos " + arguments
                + "\n# = java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.BenchMain chaos " + arguments;
        return new Invocation(size, seed, out, command);
    }

    private static int whole(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw new IllegalArgumentException(option + " must be a whole number >= " + min + ", was " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number >= " + min + ", was '" + value + "'");
        }
    }
}
