package dev.wsfanout.bench;

import java.util.Map;

/**
 * {@code wsfanout bench registry}: the command line of the registry soak ({@link RegistrySoak}).
 * Exits 0 when the registry held, 1 when it did not (or the run could not be made), 2 on a bad command line.
 */
public final class RegistryCommand {

    static final String USAGE = """
            usage: BenchMain registry --size small|full [--seed N]
              real WebSocket clients churning (connects, clean and abrupt closes, abandoned handshakes, $connect
              timeouts) under DynamoDB faults on every lifecycle write, broadcasts throughout; then one sweep, and
              rows without a socket, sockets without a row, partition count drift and clients connected throughout
              that missed a broadcast must all be 0
              --size small|full     small: 500 stable + 150 churning clients for 45 s, under 2.5 min (CI);
                                    full: 4,000 stable + 500 churning clients for 6 min (>= 10,000 upgrade requests)
              --seed N              seeds the faults and the churn (default 1)
            """;

    private RegistryCommand() {
    }

    /** What the command line asks for. */
    public record Invocation(RegistrySize size, long seed) {
    }

    /** Runs the soak for {@code args} (the words after {@code registry}) and exits. */
    public static void main(String[] args) {
        Invocation invocation;
        try {
            invocation = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench registry: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        long start = System.currentTimeMillis();
        RegistryOutcome outcome;
        try {
            outcome = new RegistrySoak(invocation.size(), invocation.seed(), new Progress(System.err)).run();
        } catch (RuntimeException e) {
            System.err.println("bench registry: the run could not be made: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        System.out.println(new RegistryReport(invocation.size(), invocation.seed(), outcome,
                (System.currentTimeMillis() - start) / 1000.0).text());
        System.exit(outcome.held() ? 0 : 1);
    }

    /** @throws IllegalArgumentException naming the option that is missing, unknown or malformed */
    public static Invocation parse(String... args) {
        RegistrySize size = null;
        long seed = 1;
        for (Map.Entry<String, String> option : CommandLine.options(args, USAGE)) {
            switch (option.getKey()) {
                case "--size" -> size = RegistrySize.named(option.getValue());
                case "--seed" -> seed = CommandLine.seed(option.getValue());
                default -> throw new IllegalArgumentException("unknown option " + option.getKey());
            }
        }
        if (size == null) {
            throw new IllegalArgumentException("--size is required");
        }
        return new Invocation(size, seed);
    }
}
