package dev.wsfanout.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonFormsTest {

    @Test
    void partitionBatchReadsTheItemBatcherShape() {
        PartitionBatch batch = JsonCodec.read(
                "{\"Items\":[1,2,3],\"BatchInput\":{\"broadcastId\":\"b1\",\"message\":{\"text\":\"hi\"}}}",
                PartitionBatch.class);
        assertEquals(List.of(1, 2, 3), batch.items());
        assertEquals("b1", batch.batchInput().broadcastId());
        assertEquals("hi", batch.batchInput().message().get("text").asText());
        assertEquals(batch, JsonCodec.read(JsonCodec.write(batch), PartitionBatch.class));
    }

    @Test
    void partitionBatchRejectsUnknownFieldsAndBadPartitions() {
        assertThrows(JsonCodec.MalformedJsonException.class, () -> JsonCodec.read(
                "{\"Items\":[1],\"BatchInput\":{\"broadcastId\":\"b\",\"message\":1},\"Extra\":1}", PartitionBatch.class));
        var e = assertThrows(JsonCodec.MalformedJsonException.class, () -> JsonCodec.read(
                "{\"Items\":[0],\"BatchInput\":{\"broadcastId\":\"b\",\"message\":1}}", PartitionBatch.class));
        assertTrue(e.getMessage().contains("partition ids >= 1"), e.getMessage());
    }

    @Test
    void deliveryChunkRoundTripsAndRetriesKeepTheirLineage() {
        DeliveryChunk chunk = new DeliveryChunk("b1", DeliveryChunk.chunkId(17, 3), 0, List.of("a=", "b="),
                JsonCodec.readTree("\"hello\""));
        assertEquals(chunk, JsonCodec.read(JsonCodec.write(chunk), DeliveryChunk.class));
        DeliveryChunk retry = chunk.retryOf(List.of("b="));
        assertEquals("p17-c3-a1", retry.chunkId());
        assertEquals(1, retry.attempt());
        assertEquals("p17-c3-a2", retry.retryOf(List.of("b=")).chunkId());
        assertEquals(List.of("b="), retry.connectionIds());
    }

    @Test
    void envelopeIsTheDocumentedMinimalShape() {
        assertEquals("{\"broadcastId\":\"b1\",\"data\":{\"x\":[1,2]}}",
                JsonCodec.write(new Envelope("b1", JsonCodec.readTree("{\"x\":[1,2]}"))));
    }

    @Test
    void broadcastRequestAcceptsStringsAndJsonValues() {
        assertEquals("hi", BroadcastRequest.fromJson("{\"message\":\"hi\"}").message().asText());
        assertEquals(3, BroadcastRequest.fromJson("{\"message\":{\"a\":[1,2,3]}}").message().get("a").size());
    }

    @Test
    void broadcastRequestExplainsWhatIsWrong() {
        assertTrue(assertThrows(BroadcastRequest.InvalidBroadcastException.class,
                () -> BroadcastRequest.fromJson("{}")).getMessage().contains("message"));
        assertTrue(assertThrows(BroadcastRequest.InvalidBroadcastException.class,
                () -> BroadcastRequest.fromJson("{\"message\":\"x\",\"mesage\":1}")).getMessage().contains("mesage"));
        assertTrue(assertThrows(BroadcastRequest.InvalidBroadcastException.class,
                () -> BroadcastRequest.fromJson("{\"message\":")).getMessage().contains("not a broadcast request"));
        String big = "x".repeat(MessageLimits.MAX_MESSAGE_BYTES);
        var e = assertThrows(BroadcastRequest.InvalidBroadcastException.class,
                () -> BroadcastRequest.fromJson("{\"message\":\"" + big + "\"}"));
        assertTrue(e.getMessage().contains("the limit is " + MessageLimits.MAX_MESSAGE_BYTES), e.getMessage());
    }

    @Test
    void tallyIsCompleteWhenEveryQueuedConnectionSettled() {
        BroadcastTally t = new BroadcastTally(10, 7, 2, 1, 4);
        assertTrue(t.complete());
        assertEquals(10, t.settled());
        assertEquals(new BroadcastTally(20, 14, 4, 2, 8), t.plus(t));
    }
}
