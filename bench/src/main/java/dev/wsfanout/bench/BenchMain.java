package dev.wsfanout.bench;

import dev.wsfanout.local.ProjectHome;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code wsfanout bench}: measures wsfanout on this machine against its ceiling and its
 * alternatives and writes a Markdown report with PNG plots to {@code bench/results/<date-time>-<size>/}.
 *
 * <pre>
 * java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.BenchMain --size small|full
 *      [--out DIR] [--clients N] [--virtual N] [--repetitions N] [--quota-rate N] [--quota-connections N]
 *      [--registration-budget-seconds N] [--post-rate N]
 * java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.BenchMain chaos --size small|full
 *      [--connections N] [--sockets N] [--seed N] [--out DIR]
 * java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.BenchMain registry --size small|full [--seed N]
 * java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.BenchMain reconnect --size small|full
 * java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.BenchMain cells --size small|full
 * </pre>
 *
 * The second form is the chaos run ({@link ChaosCommand}): one broadcast under every fault at once,
 * checked against what every client received. The third is the registry soak ({@link RegistryCommand}):
 * clients churning under faults, then the registry held against the gateway after one sweep.
 */
public final class BenchMain {

    private static final String USAGE = """
            usage: BenchMain --size small|full [options]
              --size small|full                 small: CI-sized, a few minutes; full: the issue's sizes, medians of 3
              --out DIR                         report folder (default bench/results/<date-time>-<size>)
              --clients N                       real WebSocket clients
              --virtual N                       virtual connections for the scale section
              --repetitions N                   broadcasts per design
              --quota-rate N                    gateway posts/s budget of the quota section
              --quota-connections N             virtual connections of the quota section
              --registration-budget-seconds N   the longest the scale section may spend registering
              --post-rate N                     POST_RATE per postMessage execution environment (default: the local
                                                stack's, each environment's share of the gateway limit)

            """ + ChaosCommand.USAGE + RegistryCommand.USAGE + ReconnectCommand.USAGE + CellsCommand.USAGE;

    private BenchMain() {
    }

    /** What the command line asks for: the size, the report folder, and the command as the report quotes it. */
    public record Invocation(BenchSize size, Path out, String command) {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("chaos")) {
            ChaosCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("registry")) {
            RegistryCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("cells")) {
            CellsCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("reconnect")) {
            ReconnectCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Invocation invocation;
        try {
            invocation = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.out.println(run(invocation));
        System.exit(0);
    }

    /** Runs the benchmark and returns the report file. */
    public static Path run(Invocation invocation) {
        return new BenchmarkRun(invocation.size(), invocation.out(), invocation.command(), new Progress(System.err)).run();
    }

    /** @throws IllegalArgumentException naming the option that is missing, unknown or malformed */
    public static Invocation parse(String... args) {
        BenchSize size = null;
        Path out = null;
        Integer clients = null;
        Integer virtual = null;
        Integer repetitions = null;
        Integer quotaRate = null;
        Integer quotaConnections = null;
        Integer budgetSeconds = null;
        Integer postRate = null;
        for (Map.Entry<String, String> entry : CommandLine.options(args, USAGE)) {
            String option = entry.getKey();
            String value = entry.getValue();
            switch (option) {
                case "--size" -> size = BenchSize.named(value);
                case "--out" -> out = Path.of(value);
                case "--clients" -> clients = CommandLine.positive(option, value);
                case "--virtual" -> virtual = CommandLine.positive(option, value);
                case "--repetitions" -> repetitions = CommandLine.positive(option, value);
                case "--quota-rate" -> quotaRate = CommandLine.positive(option, value);
                case "--quota-connections" -> quotaConnections = CommandLine.positive(option, value);
                case "--registration-budget-seconds" -> budgetSeconds = CommandLine.positive(option, value);
                case "--post-rate" -> postRate = CommandLine.positive(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (size == null) {
            throw new IllegalArgumentException("--size is required");
        }
        if (clients != null) {
            size = size.withClients(clients);
        }
        if (virtual != null) {
            size = size.withVirtualConnections(virtual);
        }
        if (repetitions != null) {
            size = size.withRepetitions(repetitions);
        }
        if (quotaRate != null || quotaConnections != null) {
            size = size.withQuota(quotaRate == null ? size.quotaRatePerSecond() : quotaRate,
                    quotaConnections == null ? size.quotaConnections() : quotaConnections);
        }
        if (budgetSeconds != null) {
            size = size.withRegistrationBudget(Duration.ofSeconds(budgetSeconds));
        }
        if (postRate != null) {
            size = size.withPostRate(postRate);
        }
        if (out == null) {
            out = ProjectHome.locate().resolve("bench/results")
                    .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss")) + "-" + size.name());
        }
        String arguments = String.join(" ", args);
        String command = "./wsfanout bench " + arguments + "\n# = java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.BenchMain " + arguments;
        return new Invocation(size, out, command);
    }
}
