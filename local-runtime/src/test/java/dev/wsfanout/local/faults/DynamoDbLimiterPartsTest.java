package dev.wsfanout.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limiter's pieces without a network: sizes, the body edits, key conditions, the buckets. */
class DynamoDbLimiterPartsTest {

    @Test
    void itemSizeIsUtf8NamesPlusValuesAsTheDeveloperGuideCountsThem() {
        assertEquals(2 + 3, size("{\"id\":{\"S\":\"abc\"}}"));
        assertEquals(1 + 4, size("{\"s\":{\"S\":\"\u00e9\u00e9\"}}"), "é is 2 bytes in UTF-8");
        assertEquals(1 + 4, size("{\"s\":{\"S\":\"\uD83D\uDE00\"}}"), "an emoji (a surrogate pair) is 4");
        assertEquals(1 + 2, size("{\"n\":{\"N\":\"12\"}}"), "2 significant digits: 1 + 1");
        assertEquals(1 + 4, size("{\"n\":{\"N\":\"-123.4500\"}}"), "5 significant digits (trailing zeros, sign and point not counted): 3 + 1");
        assertEquals(1 + 1, size("{\"n\":{\"N\":\"0\"}}"));
        assertEquals(1 + 3, size("{\"b\":{\"B\":\"AQID\"}}"), "binary counts its decoded bytes");
        assertEquals(1 + 1, size("{\"b\":{\"BOOL\":true}}"));
        assertEquals(1 + 3 + (1 + 1) + (1 + 2), size("{\"l\":{\"L\":[{\"S\":\"a\"},{\"S\":\"bc\"}]}}"));
        assertEquals(1 + 3 + (1 + 1 + 1), size("{\"m\":{\"M\":{\"k\":{\"S\":\"v\"}}}}"));
        assertEquals(2 + 3, size("{\"ss\":{\"SS\":[\"a\",\"bc\"]}}"));
    }

    @Test
    void theCapacityAskIsAppendedAsTheLastMemberSoItOverridesAClientsNone() {
        String asked = new String(DynamoDbLimiter.askingCapacity(Unpooled.copiedBuffer(
                "{\"TableName\":\"t\",\"ReturnConsumedCapacity\":\"NONE\"}", StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        assertEquals("{\"TableName\":\"t\",\"ReturnConsumedCapacity\":\"NONE\",\"ReturnConsumedCapacity\":\"TOTAL\"}", asked);
        assertEquals("{\"ReturnConsumedCapacity\":\"TOTAL\"}", new String(DynamoDbLimiter.askingCapacity(
                Unpooled.copiedBuffer("{ }", StandardCharsets.UTF_8)), StandardCharsets.UTF_8).replace(" ", ""));
    }

    @Test
    void theConsumedCapacityMemberIsReadAndCutWhereverItIs() {
        assertCut("{\"ConsumedCapacity\":{\"CapacityUnits\":10,\"TableName\":\"t\"}}", 10, "{}");
        assertCut("{\"Attributes\":{\"a\":{\"S\":\"}\"}},\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":0.5}}", 0.5,
                "{\"Attributes\":{\"a\":{\"S\":\"}\"}}}");
        assertCut("{\"ConsumedCapacity\":{\"CapacityUnits\":2,\"TableName\":\"t\"},\"Count\":1,\"Items\":[]}", 2,
                "{\"Count\":1,\"Items\":[]}");
        assertCut("{\"Item\":{\"ConsumedCapacity\":{\"S\":\"not this one\"}},\"ConsumedCapacity\":{\"CapacityUnits\":1}}", 1,
                "{\"Item\":{\"ConsumedCapacity\":{\"S\":\"not this one\"}}}");
        assertNull(DynamoDbLimiter.capacityField("{\"Item\":{}}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theQueriedHashKeyIsFoundInTheKeyConditionInAnyOfItsSpellings() {
        assertEquals("p1", hashValue("{\"KeyConditionExpression\":\"pk = :p AND sk BETWEEN :a AND :b\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p1\"},\":a\":{\"S\":\"a\"},\":b\":{\"S\":\"b\"}}}"));
        assertEquals("p2", hashValue("{\"KeyConditionExpression\":\"#s > :a and :p = #k\",\"ExpressionAttributeNames\":{\"#k\":\"pk\",\"#s\":\"sk\"},"
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p2\"},\":a\":{\"S\":\"a\"}}}"));
        assertEquals("p3", hashValue("{\"KeyConditions\":{\"pk\":{\"ComparisonOperator\":\"EQ\",\"AttributeValueList\":[{\"S\":\"p3\"}]}}}"));
        assertNull(DynamoDbLimiter.queriedHashValue(JsonCodec.readTree("{\"KeyConditionExpression\":\"sk = :a\","
                + "\"ExpressionAttributeValues\":{\":a\":{\"S\":\"a\"}}}"), "pk"));
    }

    @Test
    void aBucketHoldsOneSecondOfItsRateAndRefillsContinuously() {
        AtomicLong now = new AtomicLong();
        KeyBuckets buckets = new KeyBuckets(DynamoDbLimits.aws().withClock(now::get));
        KeyBuckets.Key key = new KeyBuckets.Key("t", null, "S:k");

        assertFalse(buckets.exhausted(key, KeyBuckets.Kind.WRITE));
        buckets.charge(key, KeyBuckets.Kind.WRITE, 999);
        assertFalse(buckets.exhausted(key, KeyBuckets.Kind.WRITE));
        buckets.charge(key, KeyBuckets.Kind.WRITE, 10);
        assertTrue(buckets.exhausted(key, KeyBuckets.Kind.WRITE), "a big write may take it below zero");
        assertFalse(buckets.exhausted(key, KeyBuckets.Kind.READ), "reads have their own bucket");
        now.addAndGet(9_000_000); // 9 ms = 9 WCU: back to exactly 0
        assertTrue(buckets.exhausted(key, KeyBuckets.Kind.WRITE));
        now.addAndGet(1_000_000);
        assertFalse(buckets.exhausted(key, KeyBuckets.Kind.WRITE));
        now.addAndGet(60_000_000_000L);
        assertEquals(1000, buckets.balance(key, KeyBuckets.Kind.WRITE), 1e-9, "never more than one second's worth");
        assertEquals("N:1.5", DynamoDbLimiter.keyValue(JsonCodec.readTree("{\"N\":\"1.50\"}")));
    }

    private static long size(String item) {
        return ItemSize.of(JsonCodec.readTree(item));
    }

    private static String hashValue(String query) {
        JsonNode value = DynamoDbLimiter.queriedHashValue(JsonCodec.readTree(query), "pk");
        return value == null ? null : value.get("S").asText();
    }

    private static void assertCut(String body, double units, String without) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        DynamoDbLimiter.CapacityField field = DynamoDbLimiter.capacityField(bytes);
        assertEquals(units, field.units(), 1e-9, body);
        assertEquals(without, new String(field.cut(bytes), StandardCharsets.UTF_8), body);
    }
}
