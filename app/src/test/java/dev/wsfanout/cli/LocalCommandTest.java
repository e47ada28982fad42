package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.clients.WebSocketSwarm;
import dev.wsfanout.model.JsonCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wsfanout local} run in the test JVM on free ports, then {@code send} and {@code audit}
 * finding it through its state file the way a second terminal would, with real WebSocket clients
 * connected to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalCommandTest {

    private static final int CLIENTS = 30;
    private static final int PARTITIONS = 20;

    @TempDir
    static Path home;
    private CliContext context;
    private Thread localThread;
    private final CompletableFuture<CliRun> localRun = new CompletableFuture<>();
    private RunningStack running;
    private WebSocketSwarm swarm;

    @BeforeAll
    void startLocal() throws Exception {
        context = new CliContext(home.resolve("local.json"), Map.of());
        localThread = new Thread(() -> localRun.complete(CliRun.of(context, "local", "--ws-port", "0", "--management-port", "0",
                "--sfn-port", "0", "--page-port", "0", "--partitions", Integer.toString(PARTITIONS))), "wsfanout-local-under-test");
        localThread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(context.stateFile()) && !localRun.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(localRun.isDone(), () -> "local ended early: " + localRun.join());
        running = new LocalDeploymentFile(context.stateFile()).read().orElseThrow();
        // $connect has the authorizer, as on AWS: the clients connect with a token from `wsfanout token`.
        CliRun token = CliRun.of(context, "token", "--url", "--subject", "swarm");
        assertEquals(0, token.exitCode(), token::toString);
        swarm = WebSocketSwarm.connect(URI.create(token.out().trim()), CLIENTS, 30, n -> { });
    }

    @AfterAll
    void stop() {
        if (swarm != null) {
            swarm.close();
        }
        if (localThread != null && localThread.isAlive()) {
            localThread.interrupt();
            localRun.orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    @Test
    @Order(1)
    void sendWaitPrintsTheAuditWithTheRightNumbersAndEveryClientGetsItOnce() {
        CliRun run = CliRun.of(context, "send", "--message", "hi", "--name", "send-wait-1", "--wait");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("broadcast    send-wait-1  SUCCEEDED"), run::toString);
        assertTrue(run.out().contains("partitions   " + PARTITIONS + "\n"), run::toString);
        assertTrue(run.out().contains("connections  " + CLIENTS + "\n"), run::toString);
        assertTrue(run.out().contains("delivered    " + CLIENTS + "   gone 0   failed 0   retried 0"), run::toString);
        assertTrue(run.out().contains("started      ") && run.out().contains(" by local"), run::toString);
        assertTrue(run.err().contains("SUCCEEDED"), "the progress line reports the end: " + run);
        assertTrue(swarm.awaitAll("send-wait-1", Duration.ofSeconds(5)));
        for (WebSocketSwarm.Client client : swarm.clients()) {
            assertEquals(1, client.receipts("send-wait-1").size());
            String text = client.firstText("send-wait-1");
            assertTrue(text.matches("\\{\"broadcastId\":\"send-wait-1\",\"seq\":[1-9][0-9]*,\"data\":\"hi\"}"), text);
        }
    }

    @Test
    @Order(2)
    void auditJsonIsOneParsableObjectWithTheCountsTimesAndMapRun() {
        CliRun run = CliRun.of(context, "audit", "--json", "send-wait-1");

        assertEquals(0, run.exitCode(), run::toString);
        JsonNode audit = JsonCodec.readTree(run.out());
        assertEquals("send-wait-1", audit.get("broadcastId").asText());
        assertEquals("SUCCEEDED", audit.get("status").asText());
        assertEquals("local", audit.get("startedBy").asText());
        assertEquals(4, audit.get("messageBytes").asInt(), "\"hi\" serialized");
        assertEquals(PARTITIONS, audit.get("partitions").asInt());
        assertEquals(CLIENTS, audit.get("connections").asInt());
        assertEquals(CLIENTS, audit.get("delivered").asInt());
        assertEquals(0, audit.get("gone").asInt());
        assertEquals(0, audit.get("failed").asInt());
        long first = audit.get("firstDeliveryMillis").asLong();
        long last = audit.get("lastDeliveryMillis").asLong();
        assertTrue(0 <= first && first <= last && last <= audit.get("durationMillis").asLong(), audit::toString);
        assertEquals(PARTITIONS, audit.get("mapRun").get("itemsTotal").asInt());
        assertEquals(PARTITIONS, audit.get("mapRun").get("itemsSucceeded").asInt());
        assertTrue(audit.get("error").isNull());
    }

    @Test
    @Order(2)
    void auditByExecutionArnFindsTheSameBroadcast() {
        String arn = running.stateMachineArn().replace(":stateMachine:", ":execution:") + ":send-wait-1";
        CliRun run = CliRun.of(context, "audit", arn);

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("execution    " + arn), run::toString);
    }

    @Test
    @Order(3)
    void aJsonMessageIsSentAsTheValueItIs() {
        CliRun run = CliRun.of(context, "send", "--json", "--message", "{\"n\":[1,2]}", "--name", "json-1", "--wait");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(swarm.awaitAll("json-1", Duration.ofSeconds(5)));
        String text = swarm.clients().get(0).firstText("json-1");
        assertTrue(text.matches("\\{\"broadcastId\":\"json-1\",\"seq\":[1-9][0-9]*,\"data\":\\{\"n\":\\[1,2]}}"), text);
    }

    /**
     * Issue 17: a retried {@code send --name} after its broadcast had ended was refused as "a
     * different message" (Step Functions answers ExecutionAlreadyExists for a closed execution,
     * whatever the input). Now the stored input decides.
     */
    @Test
    @Order(3)
    void sendingTheSameNameAndMessageTwiceStartsOneBroadcastAndBothExit0WithItsAudit() {
        CliRun first = CliRun.of(context, "send", "--name", "same1", "--message", "hi", "--wait");
        assertEquals(0, first.exitCode(), first::toString);
        CliRun again = CliRun.of(context, "send", "--name", "same1", "--message", "hi", "--wait");

        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("broadcast same1 already exists with this message: nothing was sent again"), again::toString);
        assertTrue(again.out().contains("delivered    " + CLIENTS + "   gone 0"), again::toString);
        assertTrue(swarm.awaitAll("same1", Duration.ofSeconds(5)));
        for (WebSocketSwarm.Client client : swarm.clients()) {
            assertEquals(1, client.receipts("same1").size(), "the retry sent nothing");
        }

        CliRun other = CliRun.of(context, "send", "--name", "same1", "--message", "something else");
        assertEquals(1, other.exitCode(), other::toString);
        assertTrue(other.err().contains("a broadcast named 'same1' already exists with a different message (SUCCEEDED"), other::toString);
    }

    @Test
    @Order(4)
    void auditOfAnUnknownExecutionIsOneLineAndExit1() {
        CliRun run = CliRun.of(context, "audit", "no-such-broadcast");

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(List.of("wsfanout: no broadcast 'no-such-broadcast': execution "
                + running.stateMachineArn().replace(":stateMachine:", ":execution:") + ":no-such-broadcast"
                + " does not exist on the local stack"), run.errLines());
        assertEquals("", run.out());
    }

    @Test
    @Order(4)
    void debugAddsTheStackTrace() {
        CliRun run = CliRun.of(context, "audit", "--debug", "no-such-broadcast");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.errLines().size() > 1 && run.err().contains("ExecutionDoesNotExistException"), run::toString);
    }

    @Test
    @Order(4)
    void aMessageTooLargeIsRefusedInOneLineBeforeAnyExecutionStarts(@TempDir Path dir) throws IOException {
        Path big = Files.writeString(dir.resolve("big.txt"), "x".repeat(131_000));
        CliRun run = CliRun.of(context, "send", "--file", big.toString(), "--name", "too-big");

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(List.of("wsfanout: the message is 131002 bytes serialized; the limit is 130912 "
                + "(API Gateway's 128 KiB less the delivery envelope)"), run.errLines());
        assertEquals(1, CliRun.of(context, "audit", "too-big").exitCode(), "no execution was started");
    }

    @Test
    @Order(4)
    void unusableInputIsNamedInOneLine() {
        CliRun notJson = CliRun.of(context, "send", "--json", "--message", "{oops");
        assertEquals(1, notJson.exitCode(), notJson::toString);
        assertEquals(1, notJson.errLines().size(), notJson::toString);
        assertTrue(notJson.err().startsWith("wsfanout: --json: the --message text is not valid JSON"), notJson::toString);

        CliRun noFile = CliRun.of(context, "send", "--file", "/no/such/file.txt");
        assertEquals(List.of("wsfanout: --file /no/such/file.txt: no such file"), noFile.errLines());

        CliRun badName = CliRun.of(context, "send", "--message", "hi", "--name", "has space");
        assertEquals(1, badName.exitCode(), badName::toString);
        assertTrue(badName.err().startsWith("wsfanout: --name 'has space' is not a usable broadcast id"), badName::toString);
    }

    @Test
    @Order(4)
    void aBadFaultPlanIsRefusedInOneLineBeforeAnythingStarts(@TempDir Path dir) throws IOException {
        Path plan = dir.resolve("faults.json");
        Files.writeString(plan, "{\"rules\":[{\"service\":\"dynamodb\",\"fault\":\"throttle\",\"probability\":1.5}]}");
        CliRun run = CliRun.of(new CliContext(home.resolve("faulty.json"), Map.of()), "local", "--ws-port", "0",
                "--management-port", "0", "--sfn-port", "0", "--page-port", "0", "--faults", plan.toString());

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("wsfanout: --faults " + plan + ": fault plan: rules[0]: probability must be in [0, 1], was 1.5"),
                run.errLines(), run::toString);
    }

    @Test
    @Order(4)
    void localRefusesATakenPortInOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            CliRun run = CliRun.of(new CliContext(home.resolve("other.json"), Map.of()), "local", "--ws-port", Integer.toString(port));

            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(List.of("wsfanout: port " + port + " is in use: stop the other wsfanout or pass --ws-port 0 for a free port"),
                    run.errLines());
            assertFalse(Files.exists(home.resolve("other.json")));
        }
    }

    @Test
    @Order(4)
    void awsWithoutCredentialsIsOneLine() {
        CliRun run = CliRun.of(context, "send", "--aws", "--region", "eu-west-1", "--profile", "wsfanout-test-no-such-profile",
                "--state-machine-arn", "arn:aws:states:eu-west-1:123456789012:stateMachine:wsfanout-broadcast", "--message", "hi");

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(List.of("wsfanout: AWS credentials missing for profile wsfanout-test-no-such-profile: run `aws configure` "
                + "or `aws sso login`, or pass --profile / set AWS_PROFILE (--debug shows where the SDK looked)"), run.errLines());
    }

    @Test
    @Order(4)
    void withoutATokenTheLocalWebSocketRefusesTheUpgradeAndTheStateFileIsTheOwnersAlone() throws Exception {
        var refused = assertThrows(java.util.concurrent.CompletionException.class, () -> java.net.http.HttpClient.newHttpClient()
                .newWebSocketBuilder().buildAsync(URI.create(running.webSocketUrl()), new java.net.http.WebSocket.Listener() { }).join());
        assertEquals(401, assertInstanceOf(java.net.http.WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(context.stateFile())));
        CliRun tooLong = CliRun.of(context, "token", "--ttl", "P2D");
        assertEquals(1, tooLong.exitCode(), tooLong::toString);
        assertTrue(tooLong.err().contains("at most 24 h"), tooLong::toString);
    }

    @Test
    @Order(5)
    void stoppingLocalRemovesTheStateFileAndFreesItsPorts() throws Exception {
        localThread.interrupt();
        CliRun run = localRun.get(30, TimeUnit.SECONDS);

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("WebSocket API    " + running.webSocketUrl()), run::toString);
        assertTrue(run.out().contains("--state-machine-arn " + running.stateMachineArn()), run::toString);
        assertTrue(run.out().contains("live page        " + running.livePageUrl()), run::toString);
        assertTrue(run.err().contains("wsfanout local: stopped"), run::toString);
        assertFalse(Files.exists(context.stateFile()));
        for (String endpoint : List.of(running.webSocketUrl(), running.managementEndpoint(), running.stepFunctionsEndpoint(),
                running.livePageUrl())) {
            int port = URI.create(endpoint).getPort();
            try (ServerSocket free = new ServerSocket()) {
                free.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
        CliRun send = CliRun.of(context, "send", "--message", "hi");
        assertEquals(1, send.exitCode(), send::toString);
        assertEquals(List.of("wsfanout: no local stack is running: start one with `./wsfanout local` (or use --aws)"),
                send.errLines());
    }

    @Test
    @Order(5)
    void aStateFileLeftByADeadProcessMeansNoStack() throws IOException {
        Path stale = home.resolve("stale.json");
        Files.writeString(stale, JsonCodec.write(new RunningStack(Long.MAX_VALUE, "http://127.0.0.1:1", "arn", "http://127.0.0.1:1",
                "t", "d", "c", "ws://127.0.0.1:1/local", "http://127.0.0.1:1/local", "http://127.0.0.1:1/")));
        CliRun run = CliRun.of(new CliContext(stale, Map.of()), "audit", "x");

        assertEquals(1, run.exitCode(), run::toString);
        assertNotNull(run.err());
        assertTrue(run.err().startsWith("wsfanout: no local stack is running"), run::toString);
    }
}
