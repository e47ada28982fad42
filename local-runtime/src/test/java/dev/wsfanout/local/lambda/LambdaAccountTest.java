package dev.wsfanout.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The account concurrency shared by all functions of a stack, and what Lambda does beyond it. */
class LambdaAccountTest {

    private static final byte[] EVENT = "\"x\"".getBytes(StandardCharsets.UTF_8);

    /** A function whose invocations wait until {@code release} opens, counting how many ran. */
    private static LocalFunction holding(String name, CountDownLatch release, CountDownLatch running, AtomicInteger runs) {
        return LocalFunction.of(name, (RequestHandler<String, String>) (in, c) -> {
            runs.incrementAndGet();
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return name;
        }, String.class, 10, Duration.ofSeconds(20));
    }

    @Test
    void aSynchronousInvokeBeyondTheAccountLimitIsThrottledAsLambdaThrottlesIt() throws Exception {
        LambdaAccount account = new LambdaAccount(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        AtomicInteger runsA = new AtomicInteger();
        AtomicInteger runsB = new AtomicInteger();
        try (LocalFunction a = holding("a", release, running, runsA).inAccount(account);
             LocalFunction b = holding("b", release, running, runsB).inAccount(account)) {
            CompletableFuture<byte[]> first = CompletableFuture.supplyAsync(() -> invokeUnchecked(a));
            CompletableFuture<byte[]> second = CompletableFuture.supplyAsync(() -> invokeUnchecked(b));
            assertTrue(running.await(10, TimeUnit.SECONDS), "both run: the account's two slots are taken");

            // Function a has 8 of its own slots left; the account has none: Lambda throttles.
            LambdaThrottleException throttled = assertThrows(LambdaThrottleException.class, () -> a.invoke(EVENT));
            assertEquals("Lambda.TooManyRequestsException", throttled.errorType(), "as Step Functions names it");
            assertEquals("ConcurrentInvocationLimitExceeded", throttled.reason());
            assertEquals(429, throttled.statusCode());
            assertEquals("Rate Exceeded.", throttled.errorMessage());
            JsonNode body = new ObjectMapper().readTree(throttled.responseBody());
            assertEquals("ConcurrentInvocationLimitExceeded", body.get("Reason").asText());
            assertEquals("User", body.get("Type").asText());
            assertEquals("Rate Exceeded.", body.get("message").asText());
            assertEquals("a", throttled.functionName());
            assertEquals(1, runsA.get(), "the throttled invocation never ran");
            assertEquals(1, account.throttles());
            assertEquals(2, account.inUse());

            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            assertEquals(0, account.inUse());
            assertEquals(2, account.peak());
            a.invoke(EVENT);
            assertEquals(2, runsA.get(), "with the slots back, the next invoke runs");
        }
    }

    @Test
    void anEventSourceInvocationWaitsForASlotInsteadOfBeingThrottled() throws Exception {
        LambdaAccount account = new LambdaAccount(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (LocalFunction busy = holding("busy", release, running, runs).inAccount(account);
             LocalFunction poller = LocalFunction.of("poller", (RequestHandler<String, String>) (in, c) -> "done",
                     String.class, 5, Duration.ofSeconds(5)).inAccount(account)) {
            CompletableFuture<byte[]> holder = CompletableFuture.supplyAsync(() -> invokeUnchecked(busy));
            assertTrue(running.await(10, TimeUnit.SECONDS));

            CompletableFuture<byte[]> fromQueue = CompletableFuture.supplyAsync(() -> {
                try {
                    return poller.invokeFromEventSource(EVENT);
                } catch (LocalFunctionException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(fromQueue.isDone(), "it waits while the account is full");
            assertEquals(0, account.throttles(), "and is not throttled");

            release.countDown();
            assertEquals("\"done\"", new String(fromQueue.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            holder.get(10, TimeUnit.SECONDS);
            assertEquals(1, account.peak(), "never more than the account allows");
        }
    }

    @Test
    void headroomIsAwaitedWithoutTakingASlot() throws Exception {
        LambdaAccount account = new LambdaAccount(1);
        assertTrue(account.tryAcquire());
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                account.awaitHeadroom();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(waiting.isDone());
        account.release();
        waiting.get(5, TimeUnit.SECONDS);
        assertEquals(0, account.inUse());
    }

    @Test
    void aFunctionBelongsToOneAccountAndWithoutOneHasNoAccountLimit() {
        try (LocalFunction f = LocalFunction.of("f", (RequestHandler<String, String>) (in, c) -> in, String.class, 1,
                Duration.ofSeconds(5))) {
            assertTrue(f.account().isUnlimited());
            LambdaAccount account = LambdaAccount.awsDefault();
            assertEquals(1_000, account.limit());
            assertSame(f, f.inAccount(account));
            f.inAccount(account);
            assertThrows(IllegalStateException.class, () -> f.inAccount(new LambdaAccount(5)));
            assertThrows(IllegalArgumentException.class, () -> new LambdaAccount(0));
        }
    }

    @Test
    void theThrottleIsALocalFunctionExceptionSoEveryCallerHandlesIt() {
        LambdaAccount account = new LambdaAccount(1);
        assertTrue(account.tryAcquire());
        try (LocalFunction f = LocalFunction.of("f", (RequestHandler<String, String>) (in, c) -> in, String.class, 1,
                Duration.ofSeconds(5)).inAccount(account)) {
            LocalFunctionException e = assertThrows(LocalFunctionException.class, () -> f.invoke(EVENT));
            assertInstanceOf(LambdaThrottleException.class, e);
            assertTrue(e.getMessage().startsWith("f: Lambda.TooManyRequestsException: Rate Exceeded."), e.getMessage());
        }
    }

    private static byte[] invokeUnchecked(LocalFunction function) {
        try {
            return function.invoke(EVENT);
        } catch (LocalFunctionException e) {
            throw new IllegalStateException(e);
        }
    }
}
