package dev.wsfanout.aws;

import dev.wsfanout.model.LedgerKeys;
import dev.wsfanout.registry.RegistryAttributes;
import dev.wsfanout.registry.RegistryFixture;
import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The primers against dynalite with the real SDK clients. No JVM here can take a SnapStart (CRaC)
 * snapshot, so the test calls what the checkpoint would, {@link SnapStartPriming#beforeCheckpoint}.
 */
@ExtendWith(DynaliteExtension.class)
class SnapStartPrimingTest {

    @Test
    void everyPrimerRunsAndOneThatFailsDoesNotStopTheOthersOrTheSnapshot(@DynamoEndpoint URI dynamo) {
        RegistryFixture fixture = RegistryFixture.create(dynamo, Map.of());
        AwsClients clients = new AwsClients(fixture.config(), Map.of());
        SnapStartPriming priming = new SnapStartPriming(List.of(
                SnapStartPriming.Primer.getItem(fixture.dynamo(), fixture.config().connectionsTable(),
                        List.of(RegistryAttributes.CONNECTION_ID)),
                SnapStartPriming.Primer.getItem(fixture.dynamo(), "no-such-table", List.of("id")),
                SnapStartPriming.Primer.getItem(clients.dynamoDbAsync(), fixture.config().deliveriesTable(),
                        List.of(LedgerKeys.SHARD_KEY, LedgerKeys.ENTRY))));

        priming.beforeCheckpoint(null);

        assertEquals(2, priming.prime(), "the missing table's primer fails alone");
        assertEquals(0, fixture.dynamo().scan(r -> r.tableName(fixture.config().deliveriesTable())).count(),
                "priming only reads");
    }
}
