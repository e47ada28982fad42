package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.FanoutRunner;
import dev.wsfanout.stack.LocalDeployment;
import dev.wsfanout.stack.LocalDeploymentOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fan-out alone — the query step over every batch, then postMessage draining the shards —
 * without the state machine, to real WebSocket clients in separate JVMs. Prints, per size, the
 * median time from the first query invocation to the last receipt and the deliveries per second.
 *
 * <pre>java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.FanoutAloneBench [sizes...] </pre>
 */
public final class FanoutAloneBench {

    private static final int REPETITIONS = 3;
    private static final int SOCKETS_PER_CLIENT_JVM = 5_000;

    private FanoutAloneBench() {
    }

    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args) {
            sizes.add(Integer.parseInt(arg));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(5_000, 15_000);
        }
        Progress progress = new Progress(System.err);
        StringBuilder table = new StringBuilder("| sockets | median query start → last receipt | median deliveries/s | runs | missing | duplicates |\n"
                + "|---|---|---|---|---|---|\n");
        for (int size : sizes) {
            table.append(measure(size, progress));
        }
        System.out.println("Fan-out alone (query + shards + postMessage, no state machine), " + REPETITIONS
                + " broadcasts per size, 2,500 partitions, defaults of the local stack:");
        System.out.println();
        System.out.print(table);
        System.out.println();
        System.out.println("Command: java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.FanoutAloneBench "
                + String.join(" ", sizes.stream().map(String::valueOf).toList()));
    }

    private static String measure(int sockets, Progress progress) {
        List<Double> seconds = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        int missing = 0;
        int duplicates = 0;
        try (LocalDeployment stack = LocalDeployment.start(LocalDeploymentOptions.defaults());
             ClientFleet fleet = ClientFleet.connect(stack.gateway().webSocketUri(), sockets, SOCKETS_PER_CLIENT_JVM, progress)) {
            FanoutRunner runner = new FanoutRunner(stack);
            JsonNode message = JsonCodec.readTree("{\"text\":\"fan-out bench\"}");
            for (int run = 1; run <= REPETITIONS; run++) {
                String broadcastId = "fanout-" + sockets + "-" + run + "-" + System.currentTimeMillis();
                long start = System.currentTimeMillis();
                runner.start(broadcastId, message, stack.options().queryConcurrency());
                BroadcastTally tally = runner.awaitSettled(broadcastId, Duration.ofMinutes(5));
                Receipts receipts = fleet.collect(broadcastId, Duration.ofSeconds(60));
                double elapsed = (receipts.lastMillis() - start) / 1000.0;
                seconds.add(elapsed);
                rates.add(receipts.received() / elapsed);
                missing += receipts.missing();
                duplicates += receipts.duplicates();
                progress.say("fan-out %,d sockets, run %d: %.2f s, %,.0f deliveries/s, tally %s", sockets, run, elapsed,
                        receipts.received() / elapsed, tally);
            }
        }
        return String.format(Locale.ROOT, "| %,d | %.2f s | %,.0f/s | %d | %d | %d |%n", sockets, Stats.median(seconds),
                Stats.median(rates), REPETITIONS, missing, duplicates);
    }
}
