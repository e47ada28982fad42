package dev.wsfanout.cli;

import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.model.Connection;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.registry.RegistryAttributes;
import dev.wsfanout.registry.RegistryCensus;
import dev.wsfanout.stack.LocalDeploymentOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wsfanout census} against a running local stack found through its state file, as from a
 * second terminal, with real WebSocket clients; then with the registry made wrong behind its back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CensusCommandTest {

    private static final int CLIENTS = 25;
    private static final int PARTITIONS = 20;

    @TempDir
    static Path home;
    private CliContext context;
    private LiveStack live;
    private WebSocketSwarm swarm;

    @BeforeAll
    void start() {
        live = LiveStack.start(LocalDeploymentOptions.builder()
                .env(FanoutConfig.PARTITION_COUNT, Integer.toString(PARTITIONS))
                .webSocketPort(0).managementPort(0).stepFunctionsPort(0)
                .build(), 0);
        context = new CliContext(home.resolve("local.json"), Map.of());
        new LocalDeploymentFile(context.stateFile()).write(live.describe());
        swarm = WebSocketSwarm.connect(live.stack().gateway().webSocketUri(), CLIENTS, 25, n -> { });
    }

    @AfterAll
    void stop() {
        if (swarm != null) {
            swarm.close();
        }
        if (live != null) {
            live.close();
        }
    }

    @Test
    @Order(1)
    void aTrueRegistryIsAllZeroesInNumbersAPersonCanRead() {
        CliRun run = CliRun.of(context, "census");

        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).matches("registry census \\(local stack, \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)"),
                run::toString);
        assertEquals(List.of(
                "  rows                          25",
                "  open connections              25",
                "  rows without a socket          0",
                "  sockets without a row          0",
                "  recorded total                25 (sum of the partitions' counts)",
                "  partitions drifted             0 of 20 (total |drift| 0)"), lines.subList(1, lines.size()), run::toString);
        assertEquals("", run.err());
    }

    @Test
    @Order(2)
    void aRowWithoutASocketASocketWithoutARowAndTheirDriftAreCounted() {
        DynamoDbClient dynamo = live.stack().dynamo();
        FanoutConfig config = live.stack().config();
        List<Connection> rows = new ArrayList<>();
        new RegistryCensus(dynamo, config).take(rows::add);
        // A real client's row removed without its count (a lost write): its socket has no row.
        Connection removed = rows.stream().filter(c -> c.partitionId() != 1).findFirst().orElseThrow();
        dynamo.deleteItem(r -> r.tableName(config.connectionsTable())
                .key(Map.of(RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(removed.connectionId()))));
        // A row for a connection that never was (a lost $disconnect), its count never raised.
        long now = System.currentTimeMillis();
        dynamo.putItem(r -> r.tableName(config.connectionsTable()).item(Map.of(
                RegistryAttributes.CONNECTION_ID, AttributeValue.fromS("GhostConnXXXXX="),
                RegistryAttributes.PARTITION_ID, AttributeValue.fromN("1"),
                RegistryAttributes.CONNECTED_AT, AttributeValue.fromN(Long.toString(now - 60_000)),
                RegistryAttributes.EXPIRES_AT, AttributeValue.fromN(Long.toString(now / 1000 + 3600)))));
        long inPartition1 = rows.stream().filter(c -> c.partitionId() == 1).count();
        long inRemovedPartition = rows.stream().filter(c -> c.partitionId() == removed.partitionId()).count();

        CliRun run = CliRun.of(context, "census");

        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertEquals(List.of(
                "  rows                          25",
                "  open connections              25",
                "  rows without a socket          1",
                "  sockets without a row          1",
                "  recorded total                25 (sum of the partitions' counts)",
                "  partitions drifted             2 of 20 (total |drift| 2)",
                "  drifted partitions:"), lines.subList(1, 8), run::toString);
        Set<String> drifts = Set.copyOf(lines.subList(8, lines.size()));
        assertEquals(Set.of(
                String.format("    partition %-8s recorded %,9d   rows %,9d   (%+,d)", 1, inPartition1, inPartition1 + 1, -1),
                String.format("    partition %-8s recorded %,9d   rows %,9d   (%+,d)", removed.partitionId(),
                        inRemovedPartition, inRemovedPartition - 1, 1)), drifts, run::toString);
    }

    @Test
    @Order(3)
    void awsOnlyFlagsAreRefusedLocallyInOneLine() {
        CliRun run = CliRun.of(context, "census", "--probe");

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("wsfanout: --probe, --connections-table, --partitions-table, --partitions and "
                + "--management-endpoint are for --aws; locally the census reads the running stack"), run.errLines());
        assertEquals("", run.out());
    }

    @Test
    @Order(3)
    void noLocalStackIsOneLine() {
        CliRun run = CliRun.of(new CliContext(home.resolve("none.json"), Map.of()), "census");

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(List.of("wsfanout: no local stack is running: start one with `./wsfanout local` (or use --aws)"),
                run.errLines());
    }

    @Test
    @Order(3)
    void aStackFileWithoutItsPartitionsSaysToRestart() {
        RunningStack now = live.describe();
        CliContext old = new CliContext(home.resolve("old.json"), Map.of());
        new LocalDeploymentFile(old.stateFile()).write(new RunningStack(now.pid(), now.stepFunctionsEndpoint(),
                now.stateMachineArn(), now.dynamoDbEndpoint(), now.broadcastsTable(), now.deliveriesTable(),
                now.connectionsTable(), now.webSocketUrl(), now.managementEndpoint(), now.livePageUrl()));

        CliRun run = CliRun.of(old, "census");

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(List.of("wsfanout: the local stack in " + old.stateFile() + " was started by an older wsfanout "
                + "that does not announce its partitions: restart `./wsfanout local`"), run.errLines());
    }

    @Test
    @Order(3)
    void aManagementApiWithoutTheListSaysToRestart() {
        RunningStack now = live.describe();
        String otherStage = now.managementEndpoint().replaceAll("/[^/]+$", "/prod");
        CliContext wrong = new CliContext(home.resolve("wrong.json"), Map.of());
        new LocalDeploymentFile(wrong.stateFile()).write(new RunningStack(now.pid(), now.stepFunctionsEndpoint(),
                now.stateMachineArn(), now.dynamoDbEndpoint(), now.broadcastsTable(), now.deliveriesTable(),
                now.connectionsTable(), now.webSocketUrl(), otherStage, now.livePageUrl(), now.partitionsTable(),
                now.partitionCount()));

        CliRun run = CliRun.of(wrong, "census");

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(List.of("wsfanout: GET " + URI.create(otherStage + "/@local/connections") + " answered 403: "
                + "the local stack predates `census`; restart `./wsfanout local`"), run.errLines());
    }

    @Test
    @Order(3)
    void awsWithoutCredentialsIsOneLine() {
        CliRun run = CliRun.of(context, "census", "--aws", "--region", "eu-west-1",
                "--profile", "wsfanout-test-no-such-profile", "--connections-table", "c", "--partitions-table", "p",
                "--partitions", "20");

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(List.of("wsfanout: AWS credentials missing for profile wsfanout-test-no-such-profile: run `aws configure` "
                + "or `aws sso login`, or pass --profile / set AWS_PROFILE (--debug shows where the SDK looked)"), run.errLines());
    }
}
