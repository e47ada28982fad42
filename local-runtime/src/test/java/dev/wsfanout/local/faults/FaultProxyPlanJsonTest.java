package dev.wsfanout.local.faults;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fault plan's JSON form, and the errors a hand-written plan gets. */
class FaultProxyPlanJsonTest {

    @Test
    void readsTheDocumentedExample() {
        FaultPlan plan = FaultPlan.fromJson("""
                {"seed":1,"rules":[
                  {"service":"dynamodb","operation":"UpdateItem","resource":"wsfanout-deliveries","bodyContains":":claimed","fault":"throttle","probability":0.05},
                  {"service":"sqs","operation":"SendMessageBatch","fault":"response_lost","nth":3}]}""");

        assertEquals(FaultPlan.builder().seed(1)
                .rule(FaultRule.builder().service(AwsService.DYNAMODB).operation("UpdateItem").resource("wsfanout-deliveries")
                        .bodyContains(":claimed").fault(FaultKind.THROTTLE).probability(0.05).build())
                .rule(FaultRule.builder().service(AwsService.SQS).operation("SendMessageBatch").fault(FaultKind.RESPONSE_LOST).nth(3).build())
                .build(), plan);
    }

    @Test
    void readsEveryTimesHoldMillisAndTheDefaults() {
        FaultPlan plan = FaultPlan.fromJson("""
                {"rules":[{"fault":"timeout","every":10,"times":2,"holdMillis":1500},{"service":"dynamodb","fault":"server_error"}]}""");

        assertEquals(FaultPlan.DEFAULT_SEED, plan.seed());
        FaultRule timeout = plan.rules().get(0);
        assertEquals(FaultTrigger.every(10), timeout.trigger());
        assertEquals(2, timeout.times());
        assertEquals(Duration.ofMillis(1500), timeout.hold());
        FaultRule serverError = plan.rules().get(1);
        assertEquals(FaultTrigger.every(1), serverError.trigger());
        assertNull(serverError.operation());
        assertNull(serverError.hold());
        assertEquals(List.of(), FaultPlan.fromJson("{}").rules());
        assertEquals(FaultRule.DEFAULT_HOLD, FaultPlan.fromJson("{\"rules\":[{\"fault\":\"timeout\"}]}").rules().get(0).hold());
    }

    @Test
    void errorsNameTheRuleTheFieldAndTheValue() {
        assertError("fault plan: rules[0]: service \"s3\" is not one of dynamodb, sqs",
                "{\"rules\":[{\"service\":\"s3\",\"fault\":\"throttle\"}]}");
        assertError("fault plan: rules[1]: fault \"slow\" is not one of throttle, throttling_exception, server_error, timeout, response_lost",
                "{\"rules\":[{\"fault\":\"throttle\"},{\"fault\":\"slow\"}]}");
        assertError("fault plan: rules[0]: probability must be in [0, 1], was 1.5",
                "{\"rules\":[{\"fault\":\"throttle\",\"probability\":1.5}]}");
        assertError("fault plan: rules[0]: probability must be in [0, 1], was -0.1",
                "{\"rules\":[{\"fault\":\"throttle\",\"probability\":-0.1}]}");
        assertError("fault plan: rules[0]: a rule has at most one trigger, got probability and nth",
                "{\"rules\":[{\"fault\":\"throttle\",\"probability\":0.5,\"nth\":3}]}");
        assertError("fault plan: rules[0]: nth must be at least 1, was 0",
                "{\"rules\":[{\"fault\":\"throttle\",\"nth\":0}]}");
        assertError("fault plan: rules[0]: every must be a whole number up to 2147483647, was 2.5",
                "{\"rules\":[{\"fault\":\"throttle\",\"every\":2.5}]}");
        assertError("fault plan: rules[0]: times must be at least 1, was 0",
                "{\"rules\":[{\"fault\":\"throttle\",\"times\":0}]}");
        assertError("fault plan: rules[0]: fault is required",
                "{\"rules\":[{\"service\":\"sqs\"}]}");
        assertError("fault plan: rules[0]: holdMillis applies only to fault timeout, not to throttle",
                "{\"rules\":[{\"fault\":\"throttle\",\"holdMillis\":100}]}");
        assertError("fault plan: rules[0]: holdMillis must be positive, was 0",
                "{\"rules\":[{\"fault\":\"timeout\",\"holdMillis\":0}]}");
        assertError("fault plan: rules[0]: fault throttling_exception is DynamoDB's: the rule needs service dynamodb, was sqs",
                "{\"rules\":[{\"service\":\"sqs\",\"fault\":\"throttling_exception\"}]}");
        assertError("fault plan: rules[0]: operation must be a string, was 3",
                "{\"rules\":[{\"fault\":\"throttle\",\"operation\":3}]}");
        assertError("fault plan: rules[0]: resource must not be empty (leave it out to match any)",
                "{\"rules\":[{\"fault\":\"throttle\",\"resource\":\"\"}]}");
    }

    @Test
    void unknownFieldsAreErrors() {
        assertError("fault plan: rules[0]: unknown field \"probabilty\" (known: service, operation, resource, bodyContains, "
                        + "fault, probability, nth, every, times, holdMillis)",
                "{\"rules\":[{\"fault\":\"throttle\",\"probabilty\":0.1}]}");
        assertError("fault plan: unknown field \"rule\" (known: seed, rules)", "{\"rule\":[]}");
    }

    @Test
    void malformedPlansAreErrors() {
        assertError("fault plan is empty", " ");
        assertError("fault plan must be a JSON object, was []", "[]");
        assertError("fault plan: rules must be an array, was {}", "{\"rules\":{}}");
        assertError("fault plan: rules[0]: must be an object, was \"throttle\"", "{\"rules\":[\"throttle\"]}");
        assertError("fault plan: seed must be a whole number, was \"1\"", "{\"seed\":\"1\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultPlan.fromJson("{\"rules\":["));
        assertTrue(e.getMessage().startsWith("fault plan is not valid JSON: "), e.getMessage());
    }

    @Test
    void theBuilderRejectsWhatTheJsonFormRejects() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultRule.builder().fault(FaultKind.THROTTLE).nth(2).every(3).build());
        assertEquals("a rule has at most one trigger, got nth and every", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaultRule.builder().probability(2));
        assertEquals("probability must be in [0, 1], was 2.0", e.getMessage());
    }

    private static void assertError(String message, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultPlan.fromJson(json));
        assertEquals(message, e.getMessage());
    }
}
