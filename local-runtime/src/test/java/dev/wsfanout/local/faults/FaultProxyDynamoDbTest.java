package dev.wsfanout.local.faults;

import dev.wsfanout.testkit.DynaliteExtension;
import dev.wsfanout.testkit.DynamoEndpoint;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.URI;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real DynamoDB clients through the proxy to a real dynalite: what each fault looks like to the SDK. */
@ExtendWith(DynaliteExtension.class)
class FaultProxyDynamoDbTest {

    private static final String ITEMS = "items";
    private static final String OTHER = "other";
    private static final String LOAD = "load";

    /** The run's shared dynalite (DynaliteExtension); this class's tables have names of their own. */
    private static URI dynalite;
    /** Straight to dynalite: what was really written. */
    private static DynamoDbClient direct;

    private FaultProxy proxy;
    private DynamoDbClient client;

    @BeforeAll
    static void startDynalite(@DynamoEndpoint URI endpoint) {
        dynalite = endpoint;
        direct = TestClients.dynamo(dynalite, TestClients.SDK_DEFAULTS);
        for (String table : List.of(ITEMS, OTHER, LOAD)) {
            direct.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        }
    }

    @AfterAll
    static void closeClient() {
        direct.close();
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.start(dynalite, FaultPlan.none());
        client = TestClients.dynamo(proxy.endpoint(), TestClients.NO_RETRIES);
    }

    @AfterEach
    void stopProxy() {
        client.close();
        proxy.close();
    }

    @Test
    void withoutFaultsEveryRequestIsForwardedUntouched() {
        client.putItem(r -> r.tableName(ITEMS).item(item("a", "1")));
        client.updateItem(r -> r.tableName(ITEMS).key(key("a")).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("2"))));
        assertThrows(ConditionalCheckFailedException.class, () -> client.putItem(r -> r.tableName(ITEMS)
                .item(item("a", "3")).conditionExpression("attribute_not_exists(id)")));

        assertEquals("2", client.getItem(r -> r.tableName(ITEMS).key(key("a"))).item().get("v").s());
        assertEquals(1, client.batchGetItem(r -> r.requestItems(Map.of(ITEMS, keys("a")))).responses().get(ITEMS).size());
        FaultCounters counters = proxy.counters();
        assertEquals(5, counters.seen());
        assertEquals(5, counters.forwarded());
        assertEquals(2, counters.seen(AwsService.DYNAMODB, "PutItem"));
        assertEquals(1, counters.forwarded(AwsService.DYNAMODB, "BatchGetItem"));
        assertEquals(0, counters.injected(FaultKind.THROTTLE));
    }

    @Test
    void throttleIsProvisionedThroughputExceededAndIsNotApplied() {
        proxy.plan(plan(FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem").fault(FaultKind.THROTTLE)));

        ProvisionedThroughputExceededException e = assertThrows(ProvisionedThroughputExceededException.class,
                () -> client.putItem(r -> r.tableName(ITEMS).item(item("throttled", "1"))));

        assertEquals(400, e.statusCode());
        assertEquals("ProvisionedThroughputExceededException", e.awsErrorDetails().errorCode());
        assertTrue(e.isThrottlingException());
        assertTrue(e.getMessage().startsWith("The level of configured provisioned throughput for the table was exceeded."), e.getMessage());
        assertFalse(direct.getItem(r -> r.tableName(ITEMS).key(key("throttled"))).hasItem());
        assertEquals(1, proxy.counters().injected(FaultKind.THROTTLE));
        assertEquals(0, proxy.counters().forwarded());
    }

    @Test
    void throttlingExceptionIsTheSdksThrottlingException() {
        proxy.plan(plan(FaultRule.builder().service(AwsService.DYNAMODB).fault(FaultKind.THROTTLING_EXCEPTION)));

        ThrottlingException e = assertThrows(ThrottlingException.class,
                () -> client.getItem(r -> r.tableName(ITEMS).key(key("a"))));

        assertEquals(400, e.statusCode());
        assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
        assertTrue(e.isThrottlingException());
    }

    @Test
    void serverErrorIsA500InternalServerError() {
        proxy.plan(plan(FaultRule.builder().service(AwsService.DYNAMODB).operation("Query").fault(FaultKind.SERVER_ERROR)));

        InternalServerErrorException e = assertThrows(InternalServerErrorException.class,
                () -> client.query(r -> r.tableName(ITEMS).keyConditionExpression("id = :id")
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("a")))));

        assertEquals(500, e.statusCode());
        assertEquals("InternalServerError", e.awsErrorDetails().errorCode());
        assertEquals(52, e.requestId().length());
    }

    @Test
    void responseLostOnPutItemIsAppliedButTheClientSeesAnIoError() {
        proxy.plan(plan(FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem").fault(FaultKind.RESPONSE_LOST)));

        SdkClientException e = assertThrows(SdkClientException.class,
                () -> client.putItem(r -> r.tableName(ITEMS).item(item("lost", "1"))));

        assertInstanceOf(IOException.class, e.getCause(), e.toString());
        assertEquals("1", direct.getItem(r -> r.tableName(ITEMS).key(key("lost")).consistentRead(true)).item().get("v").s());
        assertEquals(1, proxy.counters().forwarded(AwsService.DYNAMODB, "PutItem"));
        assertEquals(1, proxy.counters().injected(FaultKind.RESPONSE_LOST));
    }

    @Test
    void timeoutHoldsTheRequestUntilTheClientsAttemptTimeoutFires() {
        proxy.plan(plan(FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem").fault(FaultKind.TIMEOUT)));
        try (DynamoDbClient impatient = TestClients.dynamo(proxy.endpoint(),
                TestClients.NO_RETRIES.andThen(o -> o.apiCallAttemptTimeout(Duration.ofMillis(500))))) {
            long start = System.nanoTime();

            assertThrows(ApiCallAttemptTimeoutException.class,
                    () -> impatient.putItem(r -> r.tableName(ITEMS).item(item("held", "1"))));

            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        }
        assertFalse(direct.getItem(r -> r.tableName(ITEMS).key(key("held"))).hasItem());
        assertEquals(0, proxy.counters().forwarded());
    }

    @Test
    void timeoutClosesTheConnectionAfterHoldMillis() {
        proxy.plan(plan(FaultRule.builder().service(AwsService.DYNAMODB).fault(FaultKind.TIMEOUT).hold(Duration.ofMillis(300))));
        long start = System.nanoTime();

        SdkClientException e = assertThrows(SdkClientException.class,
                () -> client.getItem(r -> r.tableName(ITEMS).key(key("a"))));

        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertInstanceOf(IOException.class, e.getCause(), e.toString());
        assertTrue(waited.toMillis() >= 300 && waited.toMillis() < 10_000, waited.toString());
    }

    @Test
    void withTheSdksDefaultRetriesAThrottleOnTheFirstCallIsRetriedAndSucceeds() {
        proxy.plan(plan(FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem").nth(1).fault(FaultKind.THROTTLE)));
        try (DynamoDbClient retrying = TestClients.dynamo(proxy.endpoint(), TestClients.SDK_DEFAULTS)) {
            retrying.putItem(r -> r.tableName(ITEMS).item(item("retried", "1")));
        }
        assertTrue(direct.getItem(r -> r.tableName(ITEMS).key(key("retried"))).hasItem());
        assertEquals(2, proxy.counters().seen(AwsService.DYNAMODB, "PutItem"));
        assertEquals(1, proxy.counters().forwarded(AwsService.DYNAMODB, "PutItem"));
        assertEquals(1, proxy.counters().injected(FaultKind.THROTTLE));
    }

    @Test
    void resourceIsTheTableNameOrAKeyOfABatchsRequestItems() {
        proxy.plan(plan(FaultRule.builder().service(AwsService.DYNAMODB).resource(ITEMS).fault(FaultKind.SERVER_ERROR)));

        client.putItem(r -> r.tableName(OTHER).item(item("x", "1")));
        client.batchWriteItem(r -> r.requestItems(Map.of(OTHER, List.of(put(item("y", "1"))))));
        assertThrows(InternalServerErrorException.class, () -> client.putItem(r -> r.tableName(ITEMS).item(item("x", "1"))));
        assertThrows(InternalServerErrorException.class, () -> client.batchWriteItem(r -> r.requestItems(Map.of(
                OTHER, List.of(put(item("z", "1"))), ITEMS, List.of(put(item("z", "1")))))));

        assertEquals(2, proxy.counters().injected(FaultKind.SERVER_ERROR));
        assertEquals(2, proxy.counters().forwarded());
    }

    @Test
    void bodyContainsSinglesOutOneKindOfWrite() {
        String claim = "attribute_not_exists(claimedBy)";
        proxy.plan(plan(FaultRule.builder().service(AwsService.DYNAMODB).operation("UpdateItem").bodyContains(claim)
                .fault(FaultKind.THROTTLE)));
        Map<String, AttributeValue> me = Map.of(":me", AttributeValue.fromS("worker-1"));

        client.updateItem(r -> r.tableName(ITEMS).key(key("c")).updateExpression("SET lastSeenBy = :me").expressionAttributeValues(me));
        assertThrows(ProvisionedThroughputExceededException.class, () -> client.updateItem(r -> r.tableName(ITEMS).key(key("c"))
                .updateExpression("SET claimedBy = :me").conditionExpression(claim).expressionAttributeValues(me)));
    }

    @Test
    void manyConcurrentAsyncCallsWithRandomThrottlesAllSucceedThroughTheSdksRetries() {
        int calls = 2000;
        FaultRule throttle = FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem").resource(LOAD)
                .probability(0.05).fault(FaultKind.THROTTLE).build();
        proxy.plan(FaultPlan.builder().seed(7).rule(throttle).build());
        try (DynamoDbAsyncClient async = TestClients.dynamoAsync(proxy.endpoint(), 64)) {
            long start = System.nanoTime();
            CompletableFuture.allOf(IntStream.range(0, calls)
                    .mapToObj(i -> async.putItem(r -> r.tableName(LOAD).item(item("load-" + i, "1"))))
                    .toArray(CompletableFuture[]::new)).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("fault proxy: %d PutItems through the proxy in %.2f s (%.0f/s), faults injected per kind:%n%s%n",
                    calls, seconds, calls / seconds, proxy.counters().summary());
        }
        FaultCounters counters = proxy.counters();
        assertEquals(calls, counters.forwarded(AwsService.DYNAMODB, "PutItem"));
        assertEquals(calls + counters.injected(throttle), counters.seen(AwsService.DYNAMODB, "PutItem"));
        assertTrue(counters.injected(FaultKind.THROTTLE) > 0);
        assertEquals(calls, direct.scanPaginator(r -> r.tableName(LOAD).select("COUNT")).stream().mapToInt(p -> p.count()).sum());
    }

    private static FaultPlan plan(FaultRule.Builder rule) {
        return FaultPlan.builder().rule(rule.build()).build();
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    private static KeysAndAttributes keys(String id) {
        return KeysAndAttributes.builder().keys(List.of(key(id))).build();
    }

    private static Map<String, AttributeValue> item(String id, String value) {
        return Map.of("id", AttributeValue.fromS(id), "v", AttributeValue.fromS(value));
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }
}
