package dev.wsfanout.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalFunctionTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eventsArriveAsTheLambdaRuntimeDeserializesThem() throws Exception {
        RequestHandler<SQSEvent, String> handler = (event, context) ->
                event.getRecords().get(0).getBody() + "@" + event.getRecords().get(0).getEventSourceArn();
        try (LocalFunction f = LocalFunction.of("f", handler, SQSEvent.class, 1, Duration.ofSeconds(5))) {
            byte[] out = f.invoke(utf8("{\"Records\":[{\"messageId\":\"1\",\"body\":\"hi\",\"eventSourceARN\":\"arn:q\"}]}"));
            assertEquals("\"hi@arn:q\"", new String(out, StandardCharsets.UTF_8));
        }
    }

    @Test
    void concurrentInvocationsGetEnvironmentsOfTheirOwnWhichAreReused() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch together = new CountDownLatch(3);
        try (LocalFunction f = LocalFunction.of("f", () -> {
            int id = made.incrementAndGet();
            return (RequestHandler<String, Integer>) (in, c) -> {
                together.countDown();
                try {
                    together.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(id);
                return id;
            };
        }, String.class, 3, Duration.ofSeconds(10))) {
            ExecutorService callers = Executors.newFixedThreadPool(3);
            List<Future<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(callers.submit(() -> f.invoke(utf8("\"x\""))));
            }
            for (Future<byte[]> call : calls) {
                call.get(10, TimeUnit.SECONDS);
            }
            callers.shutdown();
            assertEquals(Set.of(1, 2, 3), seen, "three at once ran in three environments");
            f.invoke(utf8("\"x\""));
            assertEquals(3, made.get(), "a later invocation reuses a warm environment");
            assertEquals(3, f.coldStarts());
        }
    }

    @Test
    void aTimedOutEnvironmentIsDiscardedAndTheErrorIsLambdas() throws Exception {
        AtomicInteger made = new AtomicInteger();
        try (LocalFunction f = LocalFunction.of("slow", () -> {
            made.incrementAndGet();
            return (RequestHandler<Integer, Integer>) (millis, c) -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return millis;
            };
        }, Integer.class, 1, Duration.ofMillis(200))) {
            LocalFunctionException e = assertThrows(LocalFunctionException.class, () -> f.invoke(utf8("2000")));
            assertEquals("Sandbox.Timedout", e.errorType());
            assertTrue(e.errorMessage().matches("RequestId: [0-9a-f-]{36} Error: Task timed out after 0\\.20 seconds"),
                    "Lambda's message: " + e.errorMessage());
            assertEquals("slow", e.functionName());
            f.invoke(utf8("1"));
            assertEquals(2, made.get(), "the next invocation starts cold");
        }
    }

    @Test
    void aHandlerExceptionCarriesItsClassAsErrorType() {
        try (LocalFunction f = LocalFunction.of("bad", (RequestHandler<String, String>) (in, c) -> {
            throw new IllegalStateException("no " + in);
        }, String.class, 1, Duration.ofSeconds(5))) {
            LocalFunctionException e = assertThrows(LocalFunctionException.class, () -> f.invoke(utf8("\"way\"")));
            assertEquals("java.lang.IllegalStateException", e.errorType());
            assertEquals("no way", e.errorMessage());
            assertTrue(e.getMessage().startsWith("bad: "));
        }
    }
}
