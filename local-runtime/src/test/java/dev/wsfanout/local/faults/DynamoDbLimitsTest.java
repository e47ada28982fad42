package dev.wsfanout.local.faults;

import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingReason;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real DynamoDB clients through the proxy to a real dynalite with DynamoDB's limits on: each limit, and the
 * error AWS answers with. The buckets run on a clock the tests step by hand, so no test races real time.
 */
@ExtendWith(DynaliteExtension.class)
class DynamoDbLimitsTest {

    private static final String ITEMS = "limits-items";
    private static final String OTHER = "limits-other";
    private static final String RANGED = "limits-ranged";
    private static final String INDEX = "by-group";
    private static final String THROTTLE_MESSAGE = "The level of configured provisioned throughput for the table was exceeded. "
            + "Consider increasing your provisioning level with the UpdateTable API.";

    /** The run's shared dynalite (DynaliteExtension); this class's tables have names of their own. */
    private static URI dynalite;
    private static DynamoDbClient direct;

    private final AtomicLong now = new AtomicLong();
    private FaultProxy proxy;
    private DynamoDbClient client;
    private int run;
    private static int runs;

    @BeforeAll
    static void startDynalite(@DynamoEndpoint URI endpoint) {
        dynalite = endpoint;
        direct = TestClients.dynamo(dynalite, TestClients.SDK_DEFAULTS);
        for (String table : List.of(ITEMS, OTHER)) {
            direct.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(definition("id", ScalarAttributeType.S))
                    .keySchema(key("id", KeyType.HASH)));
        }
        direct.createTable(r -> r.tableName(RANGED).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.S),
                        definition("grp", ScalarAttributeType.N))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(INDEX)
                        .keySchema(key("grp", KeyType.HASH), key("sk", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
    }

    @AfterAll
    static void closeClient() {
        direct.close();
    }

    @BeforeEach
    void startProxy() {
        run = ++runs;
        proxy = FaultProxy.start(dynalite, FaultPlan.none(), DynamoDbLimits.aws().withClock(now::get));
        client = TestClients.dynamo(proxy.endpoint(), TestClients.NO_RETRIES);
    }

    @AfterEach
    void stopProxy() {
        client.close();
        proxy.close();
    }

    @Test
    void aHotKeyOverOneThousandWcuASecondGetsProvisionedThroughputExceededAsAwsShapesIt() {
        String hot = id("hot");
        for (int i = 0; i < 1000; i++) {
            increment(hot);
        }

        ProvisionedThroughputExceededException e = assertThrows(ProvisionedThroughputExceededException.class, () -> increment(hot));

        assertEquals(400, e.statusCode());
        assertEquals("ProvisionedThroughputExceededException", e.awsErrorDetails().errorCode());
        assertEquals(THROTTLE_MESSAGE, e.awsErrorDetails().errorMessage());
        assertTrue(e.isThrottlingException());
        assertEquals(52, e.requestId().length());
        ThrottlingReason reason = e.throttlingReasons().get(0);
        assertEquals("TableWriteKeyRangeThroughputExceeded", reason.reason());
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/" + ITEMS, reason.resource());
        // the throttled call consumed nothing and was not applied
        assertEquals("1000", direct.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(hot))).consistentRead(true)).item().get("n").n());
        assertEquals(0, bucket(ITEMS, null, hot, KeyBuckets.Kind.WRITE), 1e-9);

        now.addAndGet(1_000_000); // 1 ms: 1 WCU
        increment(hot);
        assertThrows(ProvisionedThroughputExceededException.class, () -> increment(hot));

        LimitCounters counters = proxy.limitCounters();
        assertEquals(2, counters.throttled());
        assertEquals(2, counters.throttled(ITEMS, true));
        assertEquals(new LimitCounters.HotKey(ITEMS, "S:" + hot), counters.hottest(1).get(0).getKey());
        assertTrue(counters.summary().startsWith("throttled by per-key limit: 2"), counters.summary());
        assertEquals(0, proxy.counters().forwarded(AwsService.DYNAMODB, "DescribeTable"), "the proxy's own DescribeTable is not the client's");
    }

    @Test
    void theSameRateSpreadOverManyKeysIsNotThrottled() {
        String prefix = id("spread");
        for (int i = 0; i < 1100; i++) {
            increment(prefix + "-" + i % 10);
        }
        assertEquals(0, proxy.limitCounters().throttled());
    }

    @Test
    void aTenKilobyteItemCostsTenWcuPerUpdateSoAHundredUpdatesASecondIsTheLimit() {
        // the example: one record holds a big message and every chunk's update lands on it
        String big = id("big");
        direct.putItem(r -> r.tableName(ITEMS).item(Map.of("id", s(big), "n", AttributeValue.fromN("0"),
                "message", s("m".repeat(10 * 1024 - 40)))));

        UpdateItemResponse asked = client.updateItem(r -> r.tableName(ITEMS).key(Map.of("id", s(big)))
                .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(10.0, asked.consumedCapacity().capacityUnits());
        UpdateItemResponse unasked = increment(big);
        assertNull(unasked.consumedCapacity(), "the capacity the proxy asked for is cut from the client's answer");
        for (int i = 2; i < 100; i++) {
            increment(big);
        }
        assertThrows(ProvisionedThroughputExceededException.class, () -> increment(big));

        now.addAndGet(1_000_000_000L); // one second later: 100 more
        for (int i = 0; i < 100; i++) {
            increment(big);
        }
        assertThrows(ProvisionedThroughputExceededException.class, () -> increment(big));
        assertEquals("200", direct.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(big))).consistentRead(true)).item().get("n").n());
    }

    @Test
    void anEventuallyConsistentReadCostsHalfAStronglyConsistentOne() {
        // ~100 KB: 25 RCU consistent, 12.5 eventually consistent
        String consistent = id("consistent");
        String eventual = id("eventual");
        for (String id : List.of(consistent, eventual)) {
            direct.putItem(r -> r.tableName(ITEMS).item(Map.of("id", s(id), "data", s("d".repeat(100 * 1024 - 100)))));
        }

        assertEquals(12.5, client.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(eventual)))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits());
        assertEquals(3000 - 12.5, bucket(ITEMS, null, eventual, KeyBuckets.Kind.READ), 1e-9);
        for (int i = 1; i < 240; i++) {
            client.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(eventual))));
        }
        assertThrows(ProvisionedThroughputExceededException.class,
                () -> client.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(eventual)))));

        for (int i = 0; i < 120; i++) {
            client.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(consistent))).consistentRead(true));
        }
        ProvisionedThroughputExceededException e = assertThrows(ProvisionedThroughputExceededException.class,
                () -> client.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(consistent))).consistentRead(true)));
        assertEquals("TableReadKeyRangeThroughputExceeded", e.throttlingReasons().get(0).reason());
        assertEquals(2, proxy.limitCounters().throttled(ITEMS, false));
        assertEquals(0, proxy.limitCounters().throttled(ITEMS, true));
    }

    @Test
    void aQueryIsChargedToItsPartitionKeyAndAGlobalIndexQueryToTheIndexsKey() {
        String pk = id("pk");
        for (int i = 0; i < 3; i++) {
            String sk = "s" + i;
            direct.putItem(r -> r.tableName(RANGED).item(Map.of("pk", s(pk), "sk", s(sk), "grp", AttributeValue.fromN("7"),
                    "data", s("q".repeat(2000)))));
        }

        assertEquals(3, client.query(r -> r.tableName(RANGED).keyConditionExpression("#p = :p AND sk > :s")
                .expressionAttributeNames(Map.of("#p", "pk"))
                .expressionAttributeValues(Map.of(":p", s(pk), ":s", s("a"))).consistentRead(true)).count());
        assertEquals(3000 - 2, bucket(RANGED, null, pk, KeyBuckets.Kind.READ), 1e-9, "3 items of ~2 KB: 6 KB, 2 RCU");

        assertEquals(3, client.query(r -> r.tableName(RANGED).indexName(INDEX).keyConditionExpression("grp = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromN("7")))).count());
        assertEquals(3000 - 1, bucket(RANGED, INDEX, "7", KeyBuckets.Kind.READ), 1e-9, "eventually consistent: half");

        proxy.limiter().buckets().charge(new KeyBuckets.Key(RANGED, INDEX, "N:7"), KeyBuckets.Kind.READ, 3000);
        ProvisionedThroughputExceededException e = assertThrows(ProvisionedThroughputExceededException.class,
                () -> client.query(r -> r.tableName(RANGED).indexName(INDEX).keyConditionExpression("grp = :g")
                        .expressionAttributeValues(Map.of(":g", AttributeValue.fromN("7")))));
        assertEquals("IndexReadKeyRangeThroughputExceeded", e.throttlingReasons().get(0).reason());
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/" + RANGED + "/index/" + INDEX, e.throttlingReasons().get(0).resource());
        assertEquals(1, proxy.limitCounters().throttled(RANGED + "/" + INDEX));
    }

    @Test
    void aPutItemOver400KbIsAValidationException() {
        String id = id("large");
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> client.putItem(r -> r.tableName(ITEMS)
                .item(Map.of("id", s(id), "data", s("x".repeat(400 * 1024))))));

        assertValidation("Item size has exceeded the maximum allowed size", e);
        assertFalse(direct.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(id)))).hasItem());
        assertEquals(1, proxy.limitCounters().count(LimitCounters.Refusal.ITEM_TOO_LARGE));
        // just under the limit is stored
        client.putItem(r -> r.tableName(ITEMS).item(Map.of("id", s(id), "data", s("x".repeat(400 * 1024 - 4 - 2 - id.length())))));
    }

    @Test
    void anItemOver400KbInUtf8IsRefusedThoughDynaliteCountingUtf16WouldStoreIt() {
        String id = id("accents");
        Map<String, AttributeValue> item = Map.of("id", s(id), "data", s("\u00e9".repeat(210_000))); // 420,000 bytes UTF-8

        assertValidation("Item size has exceeded the maximum allowed size",
                assertThrows(DynamoDbException.class, () -> client.putItem(r -> r.tableName(ITEMS).item(item))));
        direct.putItem(r -> r.tableName(ITEMS).item(item)); // dynalite alone takes it: 210,000 UTF-16 units
    }

    @Test
    void anUpdateGrowingAnItemOver400KbIsDynalitesValidationExceptionThroughTheProxy() {
        String id = id("growing");
        direct.putItem(r -> r.tableName(ITEMS).item(Map.of("id", s(id), "a", s("a".repeat(300 * 1024)))));

        DynamoDbException e = assertThrows(DynamoDbException.class, () -> client.updateItem(r -> r.tableName(ITEMS)
                .key(Map.of("id", s(id))).updateExpression("SET b = :b").expressionAttributeValues(Map.of(":b", s("b".repeat(200 * 1024))))));

        assertValidation("Item size to update has exceeded the maximum allowed size", e);
    }

    @Test
    void aBatchWriteOfTwentySixRequestsIsAValidationException() {
        List<WriteRequest> writes = IntStream.range(0, 26).mapToObj(i -> put(Map.of("id", s(id("w") + "-" + i)))).toList();

        DynamoDbException oneTable = assertThrows(DynamoDbException.class,
                () -> client.batchWriteItem(r -> r.requestItems(Map.of(ITEMS, writes))));
        assertValidation(null, oneTable);
        assertTrue(oneTable.awsErrorDetails().errorMessage().matches("1 validation error detected: Value '\\{.+}' at 'requestItems' "
                + "failed to satisfy constraint: Map value must satisfy constraint: \\[Member must have length less than or equal to 25, "
                + "Member must have length greater than or equal to 1]"), oneTable.awsErrorDetails().errorMessage());

        DynamoDbException twoTables = assertThrows(DynamoDbException.class, () -> client.batchWriteItem(r -> r.requestItems(Map.of(
                ITEMS, writes.subList(0, 13), OTHER, writes.subList(13, 26)))));
        assertValidation("Too many items requested for the BatchWriteItem call", twoTables);
        assertFalse(direct.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(id("w") + "-0")))).hasItem());
        assertEquals(1, proxy.limitCounters().count(LimitCounters.Refusal.BATCH_TOO_LARGE));
        client.batchWriteItem(r -> r.requestItems(Map.of(ITEMS, writes.subList(0, 12), OTHER, writes.subList(12, 25))));
    }

    @Test
    void aBatchGetOfAHundredAndOneKeysIsAValidationException() {
        List<Map<String, AttributeValue>> keys = IntStream.range(0, 101).mapToObj(i -> Map.of("id", s("k" + i))).toList();

        DynamoDbException oneTable = assertThrows(DynamoDbException.class, () -> client.batchGetItem(r -> r.requestItems(Map.of(
                ITEMS, KeysAndAttributes.builder().keys(keys).build()))));
        assertValidation(null, oneTable);
        assertTrue(oneTable.awsErrorDetails().errorMessage().matches("1 validation error detected: Value '\\[.+]' at 'requestItems."
                + ITEMS + ".member.keys' failed to satisfy constraint: Member must have length less than or equal to 100"),
                oneTable.awsErrorDetails().errorMessage());

        DynamoDbException twoTables = assertThrows(DynamoDbException.class, () -> client.batchGetItem(r -> r.requestItems(Map.of(
                ITEMS, KeysAndAttributes.builder().keys(keys.subList(0, 100)).build(),
                OTHER, KeysAndAttributes.builder().keys(keys.subList(100, 101)).build()))));
        assertValidation("Too many items requested for the BatchGetItem call", twoTables);
    }

    @Test
    void aBatchGetReturnsAThrottledKeyUnprocessedAndIsThrottledWholeWhenEveryKeyIs() {
        String hot = id("bg-hot");
        String cold = id("bg-cold");
        for (String id : List.of(hot, cold)) {
            direct.putItem(r -> r.tableName(ITEMS).item(Map.of("id", s(id), "v", s(id))));
        }
        proxy.limiter().buckets().charge(new KeyBuckets.Key(ITEMS, null, "S:" + hot), KeyBuckets.Kind.READ, 3000);

        BatchGetItemResponse both = client.batchGetItem(r -> r.requestItems(Map.of(ITEMS, KeysAndAttributes.builder()
                .keys(Map.of("id", s(hot)), Map.of("id", s(cold))).consistentRead(true).build())));

        assertEquals(List.of(cold), both.responses().get(ITEMS).stream().map(item -> item.get("id").s()).toList());
        KeysAndAttributes unprocessed = both.unprocessedKeys().get(ITEMS);
        assertEquals(List.of(Map.of("id", s(hot))), unprocessed.keys());
        assertTrue(unprocessed.consistentRead(), "the unprocessed keys keep their table's read options");
        assertEquals(3000 - 1, bucket(ITEMS, null, cold, KeyBuckets.Kind.READ), 1e-9);
        assertEquals(1, proxy.limitCounters().count(LimitCounters.Refusal.UNPROCESSED));

        assertThrows(ProvisionedThroughputExceededException.class, () -> client.batchGetItem(r -> r.requestItems(Map.of(
                ITEMS, KeysAndAttributes.builder().keys(Map.of("id", s(hot))).build()))));
        assertEquals(1, proxy.limitCounters().count(LimitCounters.Refusal.THROTTLED));
    }

    @Test
    void aBatchWriteReturnsAThrottledItemUnprocessedAndChargesTheRestByItemSize() {
        String hot = id("bw-hot");
        String cold = id("bw-cold");
        proxy.limiter().buckets().charge(new KeyBuckets.Key(ITEMS, null, "S:" + hot), KeyBuckets.Kind.WRITE, 1000);

        BatchWriteItemResponse response = client.batchWriteItem(r -> r.requestItems(Map.of(ITEMS, List.of(
                put(Map.of("id", s(hot))), put(Map.of("id", s(cold), "data", s("z".repeat(3000))))))));

        assertEquals(List.of(put(Map.of("id", s(hot)))), response.unprocessedItems().get(ITEMS));
        assertTrue(direct.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(cold)))).hasItem());
        assertFalse(direct.getItem(r -> r.tableName(ITEMS).key(Map.of("id", s(hot)))).hasItem());
        assertEquals(1000 - 3, bucket(ITEMS, null, cold, KeyBuckets.Kind.WRITE), 1e-9, "a ~3 KB put: 3 WCU");

        assertThrows(ProvisionedThroughputExceededException.class, () -> client.batchWriteItem(r -> r.requestItems(Map.of(
                ITEMS, List.of(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(Map.of("id", s(hot))).build()).build())))));
    }

    @Test
    void eachLimitHasASwitch() {
        try (FaultProxy unlimited = FaultProxy.start(dynalite, FaultPlan.none(),
                DynamoDbLimits.aws().withClock(now::get).withThroughput(false).withItemSize(false).withBatchSize(false));
             DynamoDbClient free = TestClients.dynamo(unlimited.endpoint(), TestClients.NO_RETRIES)) {
            String hot = id("free");
            for (int i = 0; i < 1001; i++) {
                free.updateItem(r -> r.tableName(ITEMS).key(Map.of("id", s(hot))).updateExpression("ADD n :one")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
            }
            free.putItem(r -> r.tableName(ITEMS).item(Map.of("id", s(id("accents-free")), "data", s("\u00e9".repeat(210_000)))));
            List<WriteRequest> writes = IntStream.range(0, 26).mapToObj(i -> put(Map.of("id", s(id("wf") + "-" + i)))).toList();
            free.batchWriteItem(r -> r.requestItems(Map.of(ITEMS, writes.subList(0, 13), OTHER, writes.subList(13, 26))));
            assertEquals(0, unlimited.limitCounters().throttled());
        }
    }

    private UpdateItemResponse increment(String id) {
        return client.updateItem(r -> r.tableName(ITEMS).key(Map.of("id", s(id))).updateExpression("ADD n :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    }

    private double bucket(String table, String index, String value, KeyBuckets.Kind kind) {
        String typed = (value.chars().allMatch(Character::isDigit) ? "N:" : "S:") + value;
        return proxy.limiter().buckets().balance(new KeyBuckets.Key(table, index, typed), kind);
    }

    private String id(String name) {
        return name + "-" + run;
    }

    private static void assertValidation(String message, DynamoDbException e) {
        assertEquals(400, e.statusCode());
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertFalse(e.isThrottlingException());
        if (message != null) {
            assertEquals(message, e.awsErrorDetails().errorMessage());
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static AttributeDefinition definition(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
