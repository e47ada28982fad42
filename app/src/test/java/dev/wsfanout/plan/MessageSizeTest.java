package dev.wsfanout.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What `wsfanout plan --message-bytes` changes, from the handlers' own rules. */
class MessageSizeTest {

    @Test
    void aSmallMessageKeepsTheChunkSizeTenChunksABatchAndOneFrame() {
        MessageSize size = SimulationParameters.defaults(600_000).messageSize();
        assertEquals(100, size.idsPerChunk());
        assertEquals(10, size.entriesPerBatch());
        assertEquals(1, size.frames());
        assertEquals(1, size.sqsBilledUnits());
        assertEquals(1, size.recordReadUnits());
    }

    @Test
    void theLargestMessageFillsFourFramesOneChunkABatchAndThirtyThreeReadUnits() {
        SimulationParameters p = SimulationParameters.builder().messageBytes(131_072).build();
        MessageSize size = p.messageSize();
        // 256 KiB of SQS still holds 100 ids (40 bytes each budgeted) beside a 128 KB message.
        assertEquals(100, size.idsPerChunk());
        assertEquals(1, size.entriesPerBatch(), "two 130 KB chunks exceed SendMessageBatch's 256 KiB");
        assertEquals(4, size.frames());
        assertEquals(3, size.sqsBilledUnits());
        assertEquals(33, size.recordReadUnits());
        // 450 posts/s of 128 KB is 472 Mbit/s, under the assumed 600: POST_RATE still binds, but 572/s is the ceiling.
        assertEquals(450, p.effectivePostRate(), 1e-9);
        assertEquals(572.2, p.toBuilder().postRate(1_000).build().effectivePostRate(), 0.1);
        assertEquals(36, p.effectivePostLatencyMs(), 1e-9);
    }

    @Test
    void aSmallSqsLimitLowersTheChunkSizeAsChunkPlannerDoes() {
        SimulationParameters p = SimulationParameters.builder().messageBytes(131_072).sqsMaxMessageBytes(140_000).build();
        // (140,000 - 256 - 36 - 131,010) / 40 = 217 ids fit; CHUNK_SIZE 100 still binds. At 135,000: 92.
        assertEquals(100, p.messageSize().idsPerChunk());
        assertEquals(92, p.toBuilder().sqsMaxMessageBytes(135_000).build().messageSize().idsPerChunk());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.toBuilder().sqsMaxMessageBytes(131_000).build());
        assertTrue(e.getMessage().contains("--sqs-max-message-bytes 131000"), e.getMessage());
    }

    @Test
    void theLargestMessageMakesTheBroadcastRecordKeyTheSizeBottleneck() {
        DesignPlan small = DesignPlan.of(SimulationParameters.defaults(60_000), Design.WSFANOUT, 0);
        DesignPlan large = DesignPlan.of(SimulationParameters.builder().connections(60_000).messageBytes(131_072).build(),
                Design.WSFANOUT, 0);
        assertTrue(small.sizeLimits().get(0).utilization() < 1, small.sizeLimits().toString());
        MessageSize.Load top = large.sizeLimits().get(0);
        assertEquals("broadcast record reads (one key)", top.limit());
        assertTrue(top.utilization() > 1, top.toString());
        assertEquals(4 * small.apiGatewayBilledMessages(), large.apiGatewayBilledMessages());
        // A large message's chunk fills a SendMessageBatch alone; small ones share a call where a child deals a shard more than one.
        assertEquals(large.result().shardMessagesSent(), large.result().sendMessageBatchCalls());
        assertTrue(small.result().sendMessageBatchCalls() <= large.result().sendMessageBatchCalls(), small.result().toString());
        assertTrue(large.result().finished());
    }
}
