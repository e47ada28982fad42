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
                "{\"Items\":[1,2,3],\"BatchInput\":{\"broadcastId\":\"b1\"}}",
                PartitionBatch.class);
        assertEquals(List.of(1, 2, 3), batch.items());
        assertEquals("b1", batch.batchInput().broadcastId());
        assertEquals(0, batch.batchInput().seq(), "a batch from before numbering is unnumbered");
        assertEquals(batch, JsonCodec.read(JsonCodec.write(batch), PartitionBatch.class));
        PartitionBatch numbered = JsonCodec.read("{\"Items\":[4],\"BatchInput\":{\"broadcastId\":\"b2\",\"seq\":42}}",
                PartitionBatch.class);
        assertEquals(new BatchInput("b2", 42), numbered.batchInput());
    }

    @Test
    void partitionBatchRejectsUnknownFieldsAndBadPartitions() {
        assertThrows(JsonCodec.MalformedJsonException.class, () -> JsonCodec.read(
                "{\"Items\":[1],\"BatchInput\":{\"broadcastId\":\"b\"},\"Extra\":1}", PartitionBatch.class));
        var e = assertThrows(JsonCodec.MalformedJsonException.class, () -> JsonCodec.read(
                "{\"Items\":[0],\"BatchInput\":{\"broadcastId\":\"b\"}}", PartitionBatch.class));
        assertTrue(e.getMessage().contains("partition ids >= 1"), e.getMessage());
    }

    @Test
    void deliveryChunkRoundTripsAndRetriesKeepTheirLineage() {
        DeliveryChunk chunk = new DeliveryChunk("b1", 7, DeliveryChunk.partitionChunkId(17, 0, 3), List.of("a=", "b="), "\"hello\"");
        assertEquals(chunk, DeliveryChunk.fromJson(chunk.toJson()));
        DeliveryChunk retry = chunk.retryOf(List.of("b="));
        assertEquals("p17-g0-c3-r", retry.chunkId());
        assertEquals(1, retry.attempt());
        DeliveryChunk carried = retry.carryOverOf(List.of("b="));
        assertEquals("p17-g0-c3-r-n", carried.chunkId());
        assertEquals(1, carried.attempt(), "ids nobody had time to try spend no attempt");
        assertEquals("p17-g0-c3-r-n-r", carried.retryOf(List.of("b=")).chunkId());
        assertEquals(2, carried.retryOf(List.of("b=")).attempt());
        DeliveryChunk throttled = carried.throttledOf(List.of("b="));
        assertEquals("p17-g0-c3-r-n-t", throttled.chunkId());
        assertEquals(List.of(1, 1), List.of(throttled.attempt(), throttled.throttles()), "a 429 spends no attempt");
        assertEquals(throttled, DeliveryChunk.fromJson(throttled.toJson()));
        assertEquals(List.of("b="), retry.connectionIds());
    }

    @Test
    void deliveryChunkKeepsTheMessageTextByteForByte() {
        // Jackson would re-write these numbers (1.0E-7, a rounded double); the chunk must not.
        String message = "{\"f\":1e-7,\"big\":12345678901234567890123,\"s\":\"\\u00e9\\n\\\"q\\\"\",\"a\":[1.50,{}]}";
        DeliveryChunk chunk = new DeliveryChunk("b1", 1, "b1-c0", List.of("a="), message);
        assertEquals(message, DeliveryChunk.fromJson(chunk.toJson()).messageJson());
        for (String scalar : List.of("\"text with \\\" quote\"", "1.0e+300", "-0", "true", "null")) {
            assertEquals(scalar, DeliveryChunk.fromJson(new DeliveryChunk("b", 1, "c", List.of("x"), scalar).toJson()).messageJson());
        }
    }

    @Test
    void deliveryChunkSkipsUnknownFieldsSoANewerWriterDoesNotPoisonAnOlderReader() {
        DeliveryChunk chunk = DeliveryChunk.fromJson("{\"sequence\":7,\"broadcastId\":\"b\",\"chunkId\":\"c\",\"attempt\":0,"
                + "\"connectionIds\":[\"x\"],\"trace\":{\"a\":[1]},\"message\":\"m\"}");
        assertEquals("\"m\"", chunk.messageJson());
        assertEquals(List.of("x"), chunk.connectionIds());
    }

    @Test
    void deliveryChunkRejectsPoisonBodiesWithAReason() {
        for (String poison : new String[] {null, "null", "[]", "{}", "not json", "{\"broadcastId\":\"b\",\"chunkId\":\"c\",\"attempt\":0,"
                + "\"connectionIds\":[],\"message\":1}", "{\"broadcastId\":\"b\",\"chunkId\":\"c\",\"attempt\":0,"
                + "\"connectionIds\":[1],\"message\":1}", "{\"broadcastId\":\"b\",\"chunkId\":\"c\",\"attempt\":\"0\","
                + "\"connectionIds\":[\"x\"],\"message\":1}"}) {
            var e = assertThrows(JsonCodec.MalformedJsonException.class, () -> DeliveryChunk.fromJson(poison), String.valueOf(poison));
            assertTrue(e.getMessage().startsWith("malformed DeliveryChunk: "), e.getMessage());
        }
    }

    @Test
    void envelopeIsTheDocumentedMinimalShape() {
        assertEquals("{\"broadcastId\":\"b1\",\"seq\":42,\"data\":{\"x\":[1e-7,2]}}", new Envelope("b1", 42, "{\"x\":[1e-7,2]}").toJson());
        assertEquals("{\"broadcastId\":\"b1\",\"data\":2}", new Envelope("b1", 0, "2").toJson(), "an unnumbered delivery leaves seq out");
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
