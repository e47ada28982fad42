package dev.wsfanout.registry;

import dev.wsfanout.aws.DynamoValues;
import dev.wsfanout.model.Connection;
import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(DynaliteExtension.class)
class StaleConnectionSweeperTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    private RegistryFixture fixture;

    @BeforeEach
    void freshTables(@DynamoEndpoint URI dynamo) {
        // Small pages make the sweeper walk several pages of the scan and of each query.
        fixture = RegistryFixture.create(dynamo, Map.of("PARTITION_COUNT", "5"));
    }

    @Test
    void removesExpiredConnectionsAndRepairsTheirCounts() {
        ConnectionRegistry early = registryAt(T0);
        for (int i = 0; i < 30; i++) {
            early.connect("old-" + i, T0.toEpochMilli());
        }
        Instant later = T0.plus(Duration.ofHours(2));
        ConnectionRegistry recent = registryAt(later);
        for (int i = 0; i < 12; i++) {
            recent.connect("new-" + i, later.toEpochMilli());
        }
        Instant sweepTime = T0.plus(Duration.ofMinutes(130));
        var report = sweeperAt(sweepTime).sweep();

        assertEquals(30, report.expiredRemoved());
        assertEquals(12, report.rows());
        assertTrue(report.partitionsRepaired() > 0);
        assertTrue(recent.find("old-3").isEmpty());
        assertTrue(recent.find("new-3").isPresent());
        long total = 0;
        for (int p = 1; p <= 5; p++) {
            total += recent.partitionCount(p);
        }
        assertEquals(12, total);
    }

    @Test
    void repairsCountsThatDriftedAndReportsThem() {
        ConnectionRegistry registry = registryAt(T0);
        Connection a = registry.connect("a", 1L);
        registry.connect("b", 1L);
        setCount(a.partitionId(), 40);
        int untouched = a.partitionId() % 5 + 1;
        long before = registry.partitionCount(untouched);

        var report = sweeperAt(T0).sweep();

        assertEquals(0, report.expiredRemoved());
        assertTrue(report.repairs().contains(new StaleConnectionSweeper.Repair(a.partitionId(), 40,
                registry.find("b").orElseThrow().partitionId() == a.partitionId() ? 2 : 1)), report.repairs().toString());
        assertEquals(before, registry.partitionCount(untouched));
        var second = sweeperAt(T0).sweep();
        assertEquals(0, second.partitionsRepaired(), "a second sweep finds nothing left to repair");
    }

    @Test
    void aDisconnectHalfwayThroughItsTwoWritesIsNotMistakenForDrift(@DynamoEndpoint URI dynamo) throws Exception {
        RegistryFixture one = RegistryFixture.create(dynamo, Map.of("PARTITION_COUNT", "1"));
        ConnectionRegistry registry = new ConnectionRegistry(one.dynamo(), one.config(), Clock.fixed(T0, ZoneOffset.UTC));
        registry.connect("a", 1L);
        registry.connect("b", 1L);
        // A $disconnect of "a" has deleted the row; its count decrement is still on the way.
        one.dynamo().deleteItem(r -> r.tableName(one.config().connectionsTable())
                .key(Map.of("connectionId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("a"))));
        // The decrement lands while the sweeper settles, after its scan: the pause is where it lands.
        java.util.List<Duration> settles = new java.util.ArrayList<>();
        SettlePause decrementLands = duration -> {
            settles.add(duration);
            one.dynamo().updateItem(r -> r.tableName(one.config().partitionsTable())
                    .key(Map.of("partitionId", DynamoValues.number(1)))
                    .updateExpression("ADD connectionCount :m")
                    .expressionAttributeValues(Map.of(":m", DynamoValues.number(-1))));
        };
        var sweeper = new StaleConnectionSweeper(one.dynamo(), one.config(), Clock.fixed(T0, ZoneOffset.UTC), null,
                Duration.ofMillis(1500), decrementLands);

        assertEquals(0, sweeper.sweep().partitionsRepaired(), "the decrement landed during the settle delay");
        assertEquals(java.util.List.of(Duration.ofMillis(1500)), settles, "the sweeper settled once, for its settle delay");
        assertEquals(1, registry.partitionCount(1), "count equals the one row left");
    }

    /**
     * A count off by one with no other change since (a $connect whose count update failed): the
     * sweep repairs it; and a second repair racing a change does not overwrite it.
     */
    @Test
    void aRepairIsConditionalOnTheCountNotHavingMovedSinceItWasRead() {
        ConnectionRegistry registry = registryAt(T0);
        Connection a = registry.connect("a", 1L);
        setCount(a.partitionId(), 0);
        var report = sweeperAt(T0).sweep();
        assertEquals(List.of(new StaleConnectionSweeper.Repair(a.partitionId(), 0, 1)), report.repairs());
        assertEquals(1, registry.partitionCount(a.partitionId()));
        assertEquals(1, report.rows());
    }

    private StaleConnectionSweeper sweeperAt(Instant now) {
        return new StaleConnectionSweeper(fixture.dynamo(), fixture.config(), Clock.fixed(now, ZoneOffset.UTC), null, Duration.ZERO);
    }

    private ConnectionRegistry registryAt(Instant now) {
        return new ConnectionRegistry(fixture.dynamo(), fixture.config(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private void setCount(int partition, long count) {
        fixture.dynamo().updateItem(r -> r.tableName(fixture.config().partitionsTable())
                .key(Map.of("partitionId", DynamoValues.number(partition)))
                .updateExpression("SET connectionCount = :c")
                .expressionAttributeValues(Map.of(":c", DynamoValues.number(count))));
    }
}
