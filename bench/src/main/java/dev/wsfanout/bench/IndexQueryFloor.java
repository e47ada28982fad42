package dev.wsfanout.bench;

import dev.wsfanout.fanout.PartitionReader;
import dev.wsfanout.stack.LocalStack;
import dev.wsfanout.stack.LocalStackOptions;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The floor the local store puts under one broadcast's fixed cost: the query step reads every
 * partition's index once (2,500 Queries by default, whatever the audience), here alone, at the
 * Map's concurrency of batches (40 &times; 10 reads), against dynalite directly and through the
 * DynamoDB limits proxy the local stack runs by default. No broadcast on this machine can be
 * faster than its Map, and its Map no faster than this.
 *
 * <pre>java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.IndexQueryFloor [rounds]</pre>
 */
public final class IndexQueryFloor {

    private static final int IN_FLIGHT = 400;

    private IndexQueryFloor() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        StringBuilder table = new StringBuilder("| store | median of " + rounds + " rounds of every partition's Query | Queries/s |\n|---|---|---|\n");
        for (boolean limits : new boolean[]{false, true}) {
            try (LocalStack stack = LocalStack.start(LocalStackOptions.builder().dynamoLimits(limits).build())) {
                stack.gateway().registerVirtualConnections(1_000);
                DynamoDbAsyncClient dynamo = stack.clients().dynamoDbAsync();
                PartitionReader reader = new PartitionReader(dynamo, stack.config().connectionsTable(), stack.config().partitionIndex());
                int partitions = stack.config().partitionCount();
                List<Double> seconds = new ArrayList<>();
                for (int round = 0; round <= rounds; round++) {
                    long start = System.nanoTime();
                    readAll(reader, partitions);
                    double took = (System.nanoTime() - start) / 1e9;
                    if (round > 0) {
                        // Round 0 warms the JIT and the connections.
                        seconds.add(took);
                    }
                }
                double median = Stats.median(seconds);
                table.append(String.format(Locale.ROOT, "| dynalite%s | %.2f s | %,.0f |%n",
                        limits ? " through the limits proxy" : " directly", median, partitions / median));
            }
        }
        System.out.println("Every partition's index Query (" + IN_FLIGHT + " in flight, 1,000 connections registered):");
        System.out.println();
        System.out.print(table);
        System.out.println();
        System.out.println("Command: java -cp bench/target/wsfanout-bench.jar dev.wsfanout.bench.IndexQueryFloor " + rounds);
    }

    private static void readAll(PartitionReader reader, int partitions) {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<?>> reads = new ArrayList<>(partitions);
        for (int p = 1; p <= partitions; p++) {
            inFlight.acquireUninterruptibly();
            reads.add(reader.page(p, null, 1_000).whenComplete((page, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).join();
    }
}
