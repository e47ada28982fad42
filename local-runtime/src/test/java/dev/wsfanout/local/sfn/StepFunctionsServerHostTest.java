package dev.wsfanout.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.local.net.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local Step Functions server serves only loopback Host headers: DNS rebinding sends a foreign one. */
class StepFunctionsServerHostTest {

    private static final String LIST = "POST / HTTP/1.1\r\nHost: %s\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
            + "Content-Type: application/x-amz-json-1.0\r\nConnection: close\r\n";

    private static LocalStepFunctions service;
    private static StepFunctionsServer server;
    private static int port;

    @BeforeAll
    static void start() {
        service = new LocalStepFunctions(TaskResources.builder().build(), TimeSource.accelerated(100), 2);
        server = new StepFunctionsServer(service, 0).start();
        port = server.endpoint().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
        service.close();
    }

    @Test
    void aForeignHostIsRefusedWith403AccessDeniedNamingTheHost() throws Exception {
        RawHttp.Response refused = RawHttp.send(port, LIST.formatted("evil.example:" + port), "{}");

        assertEquals(403, refused.status(), refused.body());
        assertEquals("AccessDeniedException", refused.header("x-amzn-ErrorType"));
        assertEquals("application/x-amz-json-1.0", refused.header("Content-Type"));
        JsonNode body = new ObjectMapper().readTree(refused.body());
        assertEquals("AccessDeniedException", body.get("__type").asText());
        assertTrue(body.get("message").asText().contains("refuses Host 'evil.example:" + port + "'"), refused.body());
    }

    @Test
    void aRequestWithoutHostIsRefused() throws Exception {
        RawHttp.Response refused = RawHttp.send(port, "POST / HTTP/1.0\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n", "{}");
        assertEquals(403, refused.status(), refused.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:%d", "127.0.0.1", "127.4.5.6:%d", "localhost:%d", "localhost", "[::1]:%d"})
    void loopbackHostsAreServed(String host) throws Exception {
        RawHttp.Response served = RawHttp.send(port, LIST.formatted(host.formatted(port)), "{}");
        assertEquals(200, served.status(), served.body());
        assertTrue(served.body().contains("stateMachines"), served.body());
    }

    @Test
    void theSdkClientServesOnBothLoopbackNames() {
        for (String name : new String[] {"127.0.0.1", "localhost"}) {
            try (SfnClient sfn = SfnClient.builder()
                    .endpointOverride(URI.create("http://" + name + ":" + port))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(LocalCredentials.PROVIDER)
                    .build()) {
                assertEquals(0, sfn.listStateMachines(r -> { }).stateMachines().size(), name);
            }
        }
    }
}
