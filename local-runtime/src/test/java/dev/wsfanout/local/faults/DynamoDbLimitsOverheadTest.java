package dev.wsfanout.local.faults;

import dev.wsfanout.local.dynamo.DynaliteServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the limits cost a DynamoDB call: the same PutItems (distinct keys, so nothing is throttled) straight to
 * dynalite, through the proxy without limits, and through it with them, in interleaved rounds; prints the
 * medians. A loop, not JMH: the hop is dominated by dynalite's own ~1 ms per call, and the figure wanted is the
 * ratio. {@code -Dlimits.overhead.calls=N} for a longer run.
 */
class DynamoDbLimitsOverheadTest {

    private static final String TABLE = "overhead";
    private static final int CALLS = Integer.getInteger("limits.overhead.calls", 600);
    private static final int ROUNDS = 3;

    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void putItemThroughTheLimitsCostsAboutWhatTheHopAloneCosts() {
        try (DynaliteServer dynalite = DynaliteServer.start();
             FaultProxy bare = FaultProxy.start(dynalite.endpoint(), FaultPlan.none());
             FaultProxy limited = FaultProxy.start(dynalite.endpoint(), FaultPlan.none(), DynamoDbLimits.aws())) {
            try (DynamoDbClient setup = TestClients.dynamo(dynalite.endpoint(), TestClients.SDK_DEFAULTS)) {
                setup.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
            }
            List<URI> targets = List.of(dynalite.endpoint(), bare.endpoint(), limited.endpoint());
            String[] names = {"direct", "proxy, limits off", "proxy, limits on"};
            List<DynamoDbClient> sync = targets.stream().map(t -> TestClients.dynamo(t, TestClients.NO_RETRIES)).toList();
            List<DynamoDbAsyncClient> async = targets.stream().map(t -> TestClients.dynamoAsync(t, 32)).toList();
            try {
                for (int i = 0; i < 3; i++) { // warm-up: JIT, connections, the limiter's DescribeTable
                    sequential(sync.get(i), 200);
                    concurrent(async.get(i), 200);
                }
                double[][] seq = new double[3][ROUNDS];
                double[][] conc = new double[3][ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    for (int k = 0; k < 3; k++) {
                        int i = (k + round) % 3; // rotate the order: load from other runs on the box falls on all three
                        seq[i][round] = sequential(sync.get(i), CALLS);
                        conc[i][round] = concurrent(async.get(i), CALLS);
                    }
                }
                System.out.printf("limits overhead, %d PutItems per round, median of %d rounds:%n", CALLS, ROUNDS);
                for (int i = 0; i < 3; i++) {
                    System.out.printf("  %-18s sequential %6.0f/s (%.2f ms/call)   32 in flight %6.0f/s%n", names[i],
                            median(seq[i]), 1000 / median(seq[i]), median(conc[i]));
                }
                System.out.printf("  sequential: limits on / direct = %.2f, limits on / limits off = %.2f (time per call)%n",
                        median(seq[0]) / median(seq[2]), median(seq[1]) / median(seq[2]));
                System.out.printf("  32 in flight: limits on / direct = %.2f, limits on / limits off = %.2f (time per call)%n",
                        median(conc[0]) / median(conc[2]), median(conc[1]) / median(conc[2]));
                assertEquals(0, limited.limitCounters().throttled());
                assertTrue(median(seq[2]) > 0);
            } finally {
                sync.forEach(DynamoDbClient::close);
                async.forEach(DynamoDbAsyncClient::close);
            }
        }
    }

    /** Calls a second, one at a time. */
    private double sequential(DynamoDbClient client, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            client.putItem(r -> r.tableName(TABLE).item(item()));
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    /** Calls a second, all issued at once over the client's 32 connections. */
    private double concurrent(DynamoDbAsyncClient client, int calls) {
        long start = System.nanoTime();
        CompletableFuture.allOf(IntStream.range(0, calls).mapToObj(i -> client.putItem(r -> r.tableName(TABLE).item(item())))
                .toArray(CompletableFuture[]::new)).join();
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    private Map<String, AttributeValue> item() {
        return Map.of("id", AttributeValue.fromS("k-" + ids.incrementAndGet()), "payload", AttributeValue.fromS("p".repeat(200)),
                "n", AttributeValue.fromN("42"));
    }

    private static double median(double[] values) {
        List<Double> sorted = new ArrayList<>();
        for (double v : values) {
            sorted.add(v);
        }
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
