package dev.wsfanout.resume;

import dev.wsfanout.aws.AwsClients;
import dev.wsfanout.fanout.BroadcastMessages;
import dev.wsfanout.fanout.ConnectionPoster;
import dev.wsfanout.fanout.PostOutcome;
import dev.wsfanout.fanout.RateGovernor;
import dev.wsfanout.local.gateway.WebSocketGateway;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.ResumeProtocol;
import dev.wsfanout.registry.RegistryFixture;
import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A resume posted through the gateway emulator's @connections API with the real SDK client, from a
 * history in real DynamoDB (dynalite): what the connection receives, in order, to the byte.
 */
@ExtendWith(DynaliteExtension.class)
class StreamResumeTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final List<String> received = new CopyOnWriteArrayList<>();
    private HistoryFixture history;
    private WebSocketGateway gateway;
    private ApiGatewayManagementApiAsyncClient api;
    private DynamoDbAsyncClient dynamoAsync;
    private StreamResume resume;

    @BeforeEach
    void start(@DynamoEndpoint URI dynamo) {
        RegistryFixture tables = RegistryFixture.create(dynamo, Map.of());
        history = new HistoryFixture(tables);
        gateway = WebSocketGateway.builder()
                .virtualDeliveries((connectionId, text) -> received.add(new String(text, StandardCharsets.UTF_8)))
                .build().start();
        FanoutConfig withApi = FanoutConfig.fromEnv(Map.of(FanoutConfig.MANAGEMENT_ENDPOINT, gateway.managementEndpoint().toString(),
                FanoutConfig.DYNAMODB_ENDPOINT, dynamo.toString()));
        api = new AwsClients(withApi, Map.of()).managementApi(4);
        dynamoAsync = new AwsClients(withApi, Map.of()).dynamoDbAsync();
        resume = new StreamResume(new ResumePlanner(history.reader(), 3, Duration.ofHours(1)),
                new BroadcastMessages(dynamoAsync, tables.config().broadcastsTable(), 3),
                new ConnectionPoster(api, new RateGovernor(1_000), 4), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        api.close();
        dynamoAsync.close();
        gateway.close();
    }

    @Test
    void theMissedBroadcastsArriveInOrderInTheFanOutsEnvelopeThenTheHead() {
        for (long seq = 1; seq <= 3; seq++) {
            history.broadcast(seq, NOW.minusSeconds(5));
        }
        String connection = gateway.registerVirtualConnections(1).get(0);

        StreamResume.Served served = resume.resume(connection, new ResumeProtocol.Request(OptionalLong.of(1), false));

        assertEquals(List.of(
                "{\"broadcastId\":\"b2\",\"seq\":2,\"data\":\"m2\"}",
                "{\"broadcastId\":\"b3\",\"seq\":3,\"data\":\"m3\"}",
                "{\"type\":\"resumed\",\"since\":1,\"head\":3,\"replayed\":2}"), received);
        assertEquals(new StreamResume.Served(2, 3, PostOutcome.DELIVERED, null), served);
    }

    @Test
    void aGapComesFirstAndNamesWhatIsLost() {
        for (long seq = 1; seq <= 6; seq++) {
            history.broadcast(seq, NOW.minusSeconds(5));
        }
        String connection = gateway.registerVirtualConnections(1).get(0);

        resume.resume(connection, new ResumeProtocol.Request(OptionalLong.of(1), false));

        assertEquals(List.of(
                "{\"type\":\"gap\",\"reason\":\"expired\",\"since\":1,\"from\":2,\"to\":3,\"head\":6}",
                "{\"broadcastId\":\"b4\",\"seq\":4,\"data\":\"m4\"}",
                "{\"broadcastId\":\"b5\",\"seq\":5,\"data\":\"m5\"}",
                "{\"broadcastId\":\"b6\",\"seq\":6,\"data\":\"m6\"}",
                "{\"type\":\"resumed\",\"since\":1,\"head\":6,\"replayed\":3}"), received);
    }

    @Test
    void aFreshClientAndAnAheadClientAreToldWhereTheStreamIs() {
        history.broadcast(1, NOW.minusSeconds(5));
        String connection = gateway.registerVirtualConnections(1).get(0);

        resume.resume(connection, new ResumeProtocol.Request(OptionalLong.empty(), false));
        resume.resume(connection, new ResumeProtocol.Request(OptionalLong.of(9), false));

        assertEquals(List.of(
                "{\"type\":\"resumed\",\"since\":null,\"head\":1,\"replayed\":0}",
                "{\"type\":\"gap\",\"reason\":\"unknown\",\"since\":9,\"head\":1}",
                "{\"type\":\"resumed\",\"since\":9,\"head\":1,\"replayed\":0}"), received);
    }

    @Test
    void aBroadcastWhoseRecordIsGoneIsReportedAsLostNotSkipped() {
        history.broadcast(1, NOW.minusSeconds(5));
        history.entry(2, "b2-without-record", NOW.minusSeconds(5));
        history.broadcast(3, NOW.minusSeconds(5));
        String connection = gateway.registerVirtualConnections(1).get(0);

        resume.resume(connection, new ResumeProtocol.Request(OptionalLong.of(1), false));

        assertEquals(List.of(
                "{\"type\":\"gap\",\"reason\":\"expired\",\"since\":1,\"from\":2,\"to\":2,\"head\":3}",
                "{\"broadcastId\":\"b3\",\"seq\":3,\"data\":\"m3\"}",
                "{\"type\":\"resumed\",\"since\":1,\"head\":3,\"replayed\":1}"), received);
    }

    @Test
    void aConnectionThatIsGoneEndsTheResumeAfterOnePost() {
        for (long seq = 1; seq <= 3; seq++) {
            history.broadcast(seq, NOW.minusSeconds(5));
        }

        StreamResume.Served served = resume.resume("never-connected=", new ResumeProtocol.Request(OptionalLong.of(0), false));

        assertEquals(PostOutcome.GONE, served.ended());
        assertEquals(0, served.replayed());
        assertEquals(1, gateway.counters().postsTotal(), "no post after the 410");
    }

    @Test
    void aQuietKeepAliveIsAnsweredOnlyWhenSomethingWasMissed() {
        for (long seq = 1; seq <= 2; seq++) {
            history.broadcast(seq, NOW.minusSeconds(5));
        }
        String connection = gateway.registerVirtualConnections(1).get(0);

        StreamResume.Served nothingMissed = resume.resume(connection, new ResumeProtocol.Request(OptionalLong.of(2), true));
        assertEquals(List.of(), received, "all is well: no post");
        assertEquals(0, gateway.counters().postsTotal());
        assertEquals(new StreamResume.Served(0, 2, PostOutcome.DELIVERED, null), nothingMissed);

        resume.resume(connection, new ResumeProtocol.Request(OptionalLong.of(1), true));
        assertEquals(List.of(
                "{\"broadcastId\":\"b2\",\"seq\":2,\"data\":\"m2\"}",
                "{\"type\":\"resumed\",\"since\":1,\"head\":2,\"replayed\":1}"), received);
    }

    @Test
    void aRequestThatCannotBeReadIsAnsweredWithTheReason() {
        String connection = gateway.registerVirtualConnections(1).get(0);

        resume.refuse(connection, "since must be a whole number >= 0");

        assertEquals(List.of("{\"type\":\"error\",\"action\":\"resume\",\"message\":\"since must be a whole number >= 0\"}"), received);
    }
}
