package dev.wsfanout.bench;

import java.util.Map;

/**
 * {@code wsfanout bench reconnect}: the command line of the reconnect run ({@link ReconnectRun}).
 * Exits 0 when the stream held, 1 when it did not (or the run could not be made), 2 on a bad command line.
 */
public final class ReconnectCommand {

    static final String USAGE = """
            usage: BenchMain reconnect --size small|full
              JavaScript library clients (clients/js, on Node) on the local stack while its gateway closes every
              connection after a compressed lifetime and a stream of broadcasts runs; every client must deliver
              every broadcast exactly once and in order, with no gap, after reconnecting at least twice
              --size small|full     small: 500 clients, 20 s connections, a broadcast every 2 s for 50 s (CI);
                                    full: 5,000 clients, 200 s connections, a broadcast every 10 s for 420 s
            """;

    private ReconnectCommand() {
    }

    public static void main(String[] args) {
        ReconnectSize size;
        try {
            size = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench reconnect: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        long start = System.currentTimeMillis();
        ReconnectRun.Outcome outcome;
        try {
            outcome = new ReconnectRun(size, new Progress(System.err)).run();
        } catch (RuntimeException e) {
            System.err.println("bench reconnect: the run could not be made: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        System.out.println(new ReconnectReport(size, outcome, (System.currentTimeMillis() - start) / 1000.0).text());
        System.exit(outcome.held() ? 0 : 1);
    }

    /** @throws IllegalArgumentException naming the option that is missing, unknown or malformed */
    static ReconnectSize parse(String... args) {
        ReconnectSize size = null;
        for (Map.Entry<String, String> option : CommandLine.options(args, USAGE)) {
            if (!option.getKey().equals("--size")) {
                throw new IllegalArgumentException("unknown option " + option.getKey());
            }
            size = ReconnectSize.named(option.getValue());
        }
        if (size == null) {
            throw new IllegalArgumentException("--size is required");
        }
        return size;
    }
}
