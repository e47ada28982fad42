package dev.wsfanout.local.faults;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which requests a plan picks: triggers, limits, criteria and rule order, decided without a network. */
class FaultProxyTriggerTest {

    private static final String PUT = "{\"TableName\":\"items\",\"Item\":{\"id\":{\"S\":\"a\"}}}";

    @Test
    void nthFiresOnTheNthMatchingRequestOnly() {
        PlanRun run = run(rule().nth(3));

        assertEquals(List.of(3), firing(run, 10, () -> dynamo("PutItem", PUT)));
    }

    @Test
    void everyFiresOnEveryNthMatchingRequest() {
        PlanRun run = run(rule().every(4));

        assertEquals(List.of(4, 8, 12), firing(run, 13, () -> dynamo("PutItem", PUT)));
    }

    @Test
    void withoutATriggerEveryMatchingRequestGetsTheFault() {
        assertEquals(List.of(1, 2, 3), firing(run(rule()), 3, () -> dynamo("PutItem", PUT)));
    }

    @Test
    void probabilityWithTheSameSeedMakesTheSameDecisions() {
        FaultRule rule = rule().probability(0.1).build();
        List<Integer> first = firing(new PlanRun(FaultPlan.builder().seed(42).rule(rule).build()), 2000, () -> dynamo("PutItem", PUT));
        List<Integer> again = firing(new PlanRun(FaultPlan.builder().seed(42).rule(rule).build()), 2000, () -> dynamo("PutItem", PUT));
        List<Integer> otherSeed = firing(new PlanRun(FaultPlan.builder().seed(43).rule(rule).build()), 2000, () -> dynamo("PutItem", PUT));

        assertEquals(first, again);
        assertNotEquals(first, otherSeed);
        assertTrue(first.size() > 150 && first.size() < 250, first.size() + " of 2000 at p = 0.1");
    }

    @Test
    void probabilityZeroNeverFiresAndOneAlwaysFires() {
        assertEquals(List.of(), firing(run(rule().probability(0)), 100, () -> dynamo("PutItem", PUT)));
        assertEquals(100, firing(run(rule().probability(1)), 100, () -> dynamo("PutItem", PUT)).size());
    }

    @Test
    void timesCapsTheInjectionsOfARule() {
        assertEquals(List.of(2, 4), firing(run(rule().every(2).times(2)), 10, () -> dynamo("PutItem", PUT)));
    }

    @Test
    void theFirstMatchingRuleThatFiresWinsAndLaterRulesDoNotSeeTheRequest() {
        FaultRule everySecond = rule().every(2).fault(FaultKind.THROTTLE).build();
        FaultRule thirdSeen = rule().nth(3).fault(FaultKind.SERVER_ERROR).build();
        PlanRun run = new PlanRun(FaultPlan.builder().rule(everySecond).rule(thirdSeen).build());

        List<Optional<FaultKind>> faults = IntStream.range(0, 6)
                .mapToObj(i -> run.decide(dynamo("PutItem", PUT)).map(FaultRule::fault)).toList();

        // the second rule sees requests 1, 3, 5 only: its third is the fifth request
        assertEquals(List.of(Optional.empty(), Optional.of(FaultKind.THROTTLE), Optional.empty(),
                Optional.of(FaultKind.THROTTLE), Optional.of(FaultKind.SERVER_ERROR), Optional.of(FaultKind.THROTTLE)), faults);
    }

    @Test
    void serviceAndOperationMustMatchAndStarMeansAny() {
        PlanRun run = run(FaultRule.builder().service(AwsService.DYNAMODB).operation("*").fault(FaultKind.SERVER_ERROR));

        assertTrue(run.decide(dynamo("Query", "{}")).isPresent());
        assertTrue(run.decide(sqs("SendMessage", "{}")).isEmpty());
        assertTrue(run(rule()).decide(dynamo("GetItem", PUT)).isEmpty());
    }

    @Test
    void requestsWithoutATargetOfAKnownServiceAreNeverFaulted() {
        PlanRun run = run(FaultRule.builder().fault(FaultKind.SERVER_ERROR));

        assertTrue(run.decide(request(null, "Action=SendMessage")).isEmpty());
        assertTrue(run.decide(request("AmazonS3.PutObject", "{}")).isEmpty());
        assertTrue(run.decide(sqs("SendMessage", "{}")).isPresent());
    }

    @Test
    void resourceMatchesTheTableNameTheKeysOfRequestItemsAndTheQueueName() {
        PlanRun tables = run(FaultRule.builder().resource("items").fault(FaultKind.THROTTLE));
        PlanRun queues = run(FaultRule.builder().resource("wsfanout-shard-3").fault(FaultKind.THROTTLE));

        assertTrue(tables.decide(dynamo("PutItem", PUT)).isPresent());
        assertTrue(tables.decide(dynamo("PutItem", "{\"TableName\":\"other\"}")).isEmpty());
        assertTrue(tables.decide(dynamo("BatchWriteItem", "{\"RequestItems\":{\"other\":[],\"items\":[]}}")).isPresent());
        assertTrue(tables.decide(dynamo("BatchGetItem", "{\"RequestItems\":{\"other\":{}}}")).isEmpty());
        assertTrue(tables.decide(dynamo("PutItem", "not json")).isEmpty());
        assertTrue(queues.decide(sqs("SendMessageBatch",
                "{\"QueueUrl\":\"http://127.0.0.1:9324/000000000000/wsfanout-shard-3\",\"Entries\":[]}")).isPresent());
        assertTrue(queues.decide(sqs("SendMessageBatch",
                "{\"QueueUrl\":\"http://127.0.0.1:9324/000000000000/wsfanout-shard-30\",\"Entries\":[]}")).isEmpty());
        assertTrue(queues.decide(sqs("GetQueueUrl", "{\"QueueName\":\"wsfanout-shard-3\"}")).isPresent());
    }

    @Test
    void bodyContainsMatchesASubstringOfTheRawBody() {
        PlanRun run = run(rule().operation("UpdateItem").bodyContains(":claimed"));

        assertTrue(run.decide(dynamo("UpdateItem", "{\"TableName\":\"d\",\"ConditionExpression\":\"#s <> :claimed\"}")).isPresent());
        assertTrue(run.decide(dynamo("UpdateItem", "{\"TableName\":\"d\",\"UpdateExpression\":\"ADD n :one\"}")).isEmpty());
    }

    @Test
    void countersCountPerKindPerRuleAndPerOperation() {
        FaultCounters counters = new FaultCounters();
        FaultRule throttle = rule().fault(FaultKind.THROTTLE).build();
        AwsRequest put = dynamo("PutItem", PUT);
        counters.recordSeen(put);
        counters.recordSeen(put);
        counters.recordSeen(request(null, ""));
        counters.recordForwarded(put);
        counters.recordInjected(throttle);

        assertEquals(3, counters.seen());
        assertEquals(2, counters.seen(AwsService.DYNAMODB, "PutItem"));
        assertEquals(1, counters.forwarded(AwsService.DYNAMODB, "PutItem"));
        assertEquals(0, counters.forwarded(AwsService.SQS, "SendMessage"));
        assertEquals(1, counters.injected(throttle));
        assertEquals(1, counters.injected(rule().fault(FaultKind.THROTTLE).build()), "equal rules share a count");
        assertEquals(0, counters.injected(FaultKind.TIMEOUT));
        assertEquals(String.join("\n",
                "throttle             1",
                "throttling_exception 0",
                "server_error         0",
                "timeout              0",
                "response_lost        0"), counters.summary());
    }

    private static FaultRule.Builder rule() {
        return FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem").fault(FaultKind.SERVER_ERROR);
    }

    private static PlanRun run(FaultRule.Builder rule) {
        return new PlanRun(FaultPlan.builder().rule(rule.build()).build());
    }

    /** The 1-based numbers of the requests, out of {@code count}, that got a fault. */
    private static List<Integer> firing(PlanRun run, int count, Supplier<AwsRequest> request) {
        return IntStream.rangeClosed(1, count).filter(i -> run.decide(request.get()).isPresent()).boxed().toList();
    }

    private static AwsRequest dynamo(String operation, String body) {
        return request("DynamoDB_20120810." + operation, body);
    }

    private static AwsRequest sqs(String operation, String body) {
        return request("AmazonSQS." + operation, body);
    }

    private static AwsRequest request(String target, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (target != null) {
            request.headers().set(AwsRequest.TARGET_HEADER, target);
        }
        return AwsRequest.of(request);
    }
}
