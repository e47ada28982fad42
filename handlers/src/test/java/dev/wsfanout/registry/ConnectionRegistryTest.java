package dev.wsfanout.registry;

import dev.wsfanout.aws.DynamoValues;
import dev.wsfanout.aws.AwsClients;
import dev.wsfanout.local.faults.AwsService;
import dev.wsfanout.local.faults.FaultKind;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.faults.FaultProxy;
import dev.wsfanout.local.faults.FaultRule;
import dev.wsfanout.model.Connection;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(DynaliteExtension.class)
class ConnectionRegistryTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private RegistryFixture fixture;
    private ConnectionRegistry registry;

    @BeforeEach
    void freshTables(@DynamoEndpoint URI dynamo) {
        fixture = RegistryFixture.create(dynamo, Map.of("PARTITION_COUNT", "20"));
        registry = new ConnectionRegistry(fixture.dynamo(), fixture.config(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void connectThenDisconnectLeavesNothingBehind() {
        Connection c = registry.connect("AAAAAAAAAAAAAAA=", 1234L);
        assertTrue(c.partitionId() >= 1 && c.partitionId() <= 20);
        assertEquals(NOW.getEpochSecond() + 7500, c.expiresAtSeconds());
        assertEquals(c, registry.find("AAAAAAAAAAAAAAA=").orElseThrow());
        assertEquals(1, registry.partitionCount(c.partitionId()));

        assertEquals(c, registry.disconnect("AAAAAAAAAAAAAAA=").orElseThrow());
        assertTrue(registry.find("AAAAAAAAAAAAAAA=").isEmpty());
        assertEquals(0, registry.partitionCount(c.partitionId()));
    }

    @Test
    void repeatedConnectForTheSameIdCountsOnce() {
        Connection first = registry.connect("dup", 1L);
        Connection again = registry.connect("dup", 2L);
        assertEquals(first, again);
        assertEquals(1, totalCount());
    }

    @Test
    void repeatedOrUnknownDisconnectIsANoOp() {
        Connection c = registry.connect("once", 1L);
        registry.connect("other", 1L);
        assertTrue(registry.disconnect("once").isPresent());
        assertTrue(registry.disconnect("once").isEmpty());
        assertTrue(registry.disconnect("never-seen").isEmpty());
        assertEquals(1, totalCount());
        assertTrue(registry.partitionCount(c.partitionId()) >= 0);
    }

    @Test
    void countNeverGoesBelowZero() {
        Connection c = registry.connect("x", 1L);
        // Simulate the crash window: the count write was lost after the row was written.
        fixture.dynamo().updateItem(r -> r.tableName(fixture.config().partitionsTable())
                .key(Map.of("partitionId", DynamoValues.number(c.partitionId())))
                .updateExpression("SET connectionCount = :z")
                .expressionAttributeValues(Map.of(":z", DynamoValues.number(0))));
        assertTrue(registry.disconnect("x").isPresent());
        assertEquals(0, registry.partitionCount(c.partitionId()));
    }

    @Test
    void concurrentConnectsAndDisconnectsKeepEveryCountExact() throws Exception {
        int connects = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Connection>> connected = new ArrayList<>();
            for (int i = 0; i < connects; i++) {
                String id = String.format("c%015d", i);
                connected.add(pool.submit(() -> registry.connect(id, 1L)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<Connection> f : connected) {
                ids.add(f.get().connectionId());
            }
            Collections.shuffle(ids, new java.util.Random(7));
            List<String> leaving = ids.subList(0, connects / 2);
            List<Future<?>> disconnected = new ArrayList<>();
            for (String id : leaving) {
                disconnected.add(pool.submit(() -> registry.disconnect(id)));
                // a duplicate disconnect racing the first must not count twice
                if (id.hashCode() % 10 == 0) {
                    disconnected.add(pool.submit(() -> registry.disconnect(id)));
                }
            }
            for (Future<?> f : disconnected) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        var census = new RegistryCensus(fixture.dynamo(), fixture.config()).take();
        assertEquals(connects / 2, census.rows(), "live rows");
        assertEquals(0, census.partitionsDrifted(), "every partition count equals its live rows: " + census.drifts());
        assertEquals(connects / 2, totalCount());
    }

    /**
     * Issue 12, defect 1: API Gateway answers 410 for a connection whose $connect has not completed,
     * and postMessage deleted its row, leaving a live client unregistered for up to two hours.
     */
    @Test
    void aGoneAnswerForARowYoungerThanTheGraceKeepsTheRow() {
        long now = NOW.toEpochMilli();
        Connection young = registry.connect("young", now - 3_000);
        Connection old = registry.connect("old", now - 30_000);

        assertEquals(ConnectionRegistry.GoneRemoval.TOO_YOUNG, registry.removeGone("young", java.time.Duration.ofSeconds(10)));
        assertEquals(young, registry.find("young").orElseThrow());
        assertEquals(ConnectionRegistry.GoneRemoval.REMOVED, registry.removeGone("old", java.time.Duration.ofSeconds(10)));
        assertTrue(registry.find("old").isEmpty());
        assertEquals(ConnectionRegistry.GoneRemoval.ABSENT, registry.removeGone("old", java.time.Duration.ofSeconds(10)));
        assertEquals(ConnectionRegistry.GoneRemoval.ABSENT, registry.removeGone("never-seen", java.time.Duration.ofSeconds(10)));
        assertEquals(1, totalCount(), "the old row's count went with it, once");
        assertTrue(registry.partitionCount(old.partitionId()) >= 0);
    }

    /**
     * Issue 12, defect 2: a $connect that failed after its row was written refused the socket and
     * left the row; one whose count update failed refused a client it had registered.
     */
    @Test
    void aConnectNeverLeavesARowForARefusedSocketNorRefusesARegisteredOne(@DynamoEndpoint URI dynamo) {
        try (FaultProxy proxy = FaultProxy.start(dynamo, FaultPlan.none())) {
            ConnectionRegistry faulty = throughProxy(proxy);

            // Every attempt of the put is applied and its response lost: the SDK gives up, so $connect fails.
            proxy.plan(FaultPlan.builder().rule(FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem")
                    .fault(FaultKind.RESPONSE_LOST).build()).build());
            assertThrows(RuntimeException.class, () -> faulty.connect("refused", 1L));
            assertTrue(registry.find("refused").isEmpty(), "the refused socket left no row");

            // The count update fails past the SDK's retries: the row is there, so $connect succeeds.
            proxy.plan(FaultPlan.builder().rule(FaultRule.builder().service(AwsService.DYNAMODB).operation("UpdateItem")
                    .resource(fixture.config().partitionsTable()).fault(FaultKind.SERVER_ERROR).build()).build());
            Connection accepted = faulty.connect("accepted", 1L);
            assertEquals(accepted, registry.find("accepted").orElseThrow());
            assertEquals(0, totalCount(), "the count is left to the sweeper");
        }
    }

    /**
     * Issue 12, defect 2: a put still running when $connect's sandbox is stopped could land after
     * API Gateway refused the socket. The writes are bounded by what is left of the timeout: a
     * put held past it fails within the budget, and leaves no row.
     */
    @Test
    void aConnectWhoseWriteOutlastsItsBudgetFailsWithinItAndLeavesNoRow(@DynamoEndpoint URI dynamo) {
        try (FaultProxy proxy = FaultProxy.start(dynamo, FaultPlan.none())) {
            ConnectionRegistry faulty = throughProxy(proxy);
            proxy.plan(FaultPlan.builder().rule(FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem")
                    .fault(FaultKind.TIMEOUT).hold(java.time.Duration.ofSeconds(20)).build()).build());
            long started = System.nanoTime();
            assertThrows(software.amazon.awssdk.core.exception.ApiCallTimeoutException.class,
                    () -> faulty.connect("slow", 1L, java.time.Duration.ofMillis(800)));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis < 10_000, "the put gave up with its budget, not after the proxy's 20 s hold: " + tookMillis + " ms");
            assertTrue(registry.find("slow").isEmpty());
        }
    }

    /** A throttled read of the two candidate partitions must not refuse the client: it only balances. */
    @Test
    void aConnectWhosePartitionReadIsThrottledStillRegisters(@DynamoEndpoint URI dynamo) {
        try (FaultProxy proxy = FaultProxy.start(dynamo, FaultPlan.none())) {
            ConnectionRegistry faulty = throughProxy(proxy);
            proxy.plan(FaultPlan.builder().rule(FaultRule.builder().service(AwsService.DYNAMODB).operation("BatchGetItem")
                    .fault(FaultKind.THROTTLE).build()).build());
            Connection c = faulty.connect("throttled-read", 1L);
            assertEquals(c, registry.find("throttled-read").orElseThrow());
            assertEquals(1, totalCount());
        }
    }

    private ConnectionRegistry throughProxy(FaultProxy proxy) {
        Map<String, String> env = new java.util.HashMap<>(fixture.config().toEnv());
        env.put("DYNAMODB_ENDPOINT", proxy.endpoint().toString());
        FanoutConfig config = FanoutConfig.fromEnv(env);
        return new ConnectionRegistry(new AwsClients(config, Map.of()).dynamoDb(), config, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private long totalCount() {
        long total = 0;
        for (int p = 1; p <= fixture.config().partitionCount(); p++) {
            total += registry.partitionCount(p);
        }
        return total;
    }
}
