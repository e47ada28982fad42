package dev.wsfanout.local.gateway;

import dev.wsfanout.local.Eventually;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading: once its socket buffers and the gateway's bounded buffer for it are
 * full, PostToConnection answers 429 LimitExceededException ("the WebSocket client side buffer is
 * full") at once instead of queueing (or hanging); when the client reads again, posts succeed again.
 */
class ClientBufferFullTest {

    private static final int MESSAGE_BYTES = 100 * 1024;
    /** Far more than any buffer on the way could hold, so a missing bound fails the test instead of hanging it. */
    private static final int MAX_POSTS = 400;

    @Test
    void aClientThatDoesNotReadGets429BufferFullAndPostsWorkAgainOnceItReads() throws Exception {
        try (WebSocketGateway gateway = WebSocketGateway.builder().build().start();
             ApiGatewayManagementApiClient api = ManagementApiClients.withoutRetries(gateway.managementEndpoint());
             RawUpgrade client = new RawUpgrade(gateway.webSocketUri(), 16 * 1024)) {
            assertEquals(101, client.status());
            Eventually.until(() -> gateway.openConnectionIds().size() == 1, () -> "the connection is registered");
            String id = gateway.openConnectionIds().iterator().next();
            SdkBytes message = SdkBytes.fromUtf8String("m".repeat(MESSAGE_BYTES));

            int accepted = 0;
            LimitExceededException full = null;
            while (full == null && accepted < MAX_POSTS) {
                try {
                    api.postToConnection(post -> post.connectionId(id).data(message));
                    accepted++;
                } catch (LimitExceededException e) {
                    full = e;
                }
            }

            assertNotNull(full, "no 429 after " + accepted + " posts of " + MESSAGE_BYTES + " bytes to a client that does not read");
            assertEquals(429, full.statusCode());
            assertEquals("LimitExceededException", full.awsErrorDetails().errorCode());
            assertEquals("The WebSocket client side buffer is full", full.awsErrorDetails().errorMessage());
            assertTrue(accepted >= 1, "the first posts fit");
            // The gateway's 256 KiB, the socket's fixed kernel send buffer and the client's small
            // receive buffer: a few hundred KB (3 posts of 100 KB on Linux), not the 4 MB autotuning allows.
            assertTrue(accepted <= 10, accepted + " posts of 100 KB were accepted before the buffer was full");
            GatewayCounters counters = gateway.counters();
            assertEquals(1, counters.postsBufferFull());
            assertEquals(1, counters.posts(429));
            assertEquals(accepted, counters.posts(200));

            // The client reads again: the buffer drains, and the next post is accepted and arrives.
            AtomicLong read = new AtomicLong();
            Thread reader = new Thread(() -> drain(client, read), "buffer-full-reader");
            reader.setDaemon(true);
            reader.start();
            int acceptedBefore = accepted;
            Eventually.until(() -> gateway.counters().messagesDelivered() == acceptedBefore,
                    () -> "the buffered messages are written once the client reads: " + gateway.counters().messagesDelivered()
                            + " of " + acceptedBefore);
            api.postToConnection(post -> post.connectionId(id).data(message));
            Eventually.until(() -> gateway.counters().messagesDelivered() == acceptedBefore + 1,
                    () -> "the post after draining is delivered");
            assertEquals(accepted + 1, gateway.counters().posts(200));
        }
    }

    private static void drain(RawUpgrade client, AtomicLong read) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = client.input();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.addAndGet(n);
            }
        } catch (java.io.IOException closed) {
            // the test is over
        }
    }
}
