package dev.wsfanout.local.sfn;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.wsfanout.local.lambda.LocalFunction;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small Lambda functions the Step Functions tests call:
 * echo (returns its event), fail (throws IllegalStateException with event.message),
 * flaky (throws IllegalStateException the first event.failures times per event.key, then returns {"attempts": n}),
 * slow (200 ms Lambda timeout, sleeps event.millis) and sleepy (sleeps event.millis, 60 s timeout).
 */
final class TestFunctions {

    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    List<LocalFunction> all() {
        return List.of(
                stream("echo", event -> event, Duration.ofSeconds(30)),
                stream("fail", event -> {
                    Object message = Json.asObject(Json.parse(event, "event")).get("message");
                    throw new IllegalStateException(message == null ? "failure" : message.toString());
                }, Duration.ofSeconds(30)),
                stream("flaky", event -> {
                    Map<String, Object> input = Json.asObject(Json.parse(event, "event"));
                    int attempt = attempts.computeIfAbsent(String.valueOf(input.get("key")), k -> new AtomicInteger()).incrementAndGet();
                    if (attempt <= ((Number) input.get("failures")).intValue()) {
                        throw new IllegalStateException("attempt " + attempt + " fails");
                    }
                    return Json.write(Map.of("attempts", attempt));
                }, Duration.ofSeconds(30)),
                stream("slow", TestFunctions::sleep, Duration.ofMillis(200)),
                stream("sleepy", TestFunctions::sleep, Duration.ofSeconds(60)));
    }

    private static String sleep(String event) throws InterruptedException {
        Thread.sleep(((Number) Json.asObject(Json.parse(event, "event")).get("millis")).longValue());
        return event;
    }

    @FunctionalInterface
    private interface Body {
        String apply(String event) throws Exception;
    }

    private static LocalFunction stream(String name, Body body, Duration timeout) {
        RequestStreamHandler handler = (in, out, context) -> {
            try {
                out.write(body.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException | java.io.IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        return LocalFunction.ofStream(name, handler, 50, timeout);
    }
}
