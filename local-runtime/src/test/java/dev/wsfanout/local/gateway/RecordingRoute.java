package dev.wsfanout.local.gateway;

import dev.wsfanout.local.Eventually;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.lambda.LocalFunction;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A route function for tests: records every event as the raw JSON it was given (so fields the
 * Java event classes lack, such as disconnectStatusCode, can be checked) and answers with a fixed
 * status code, or fails.
 */
final class RecordingRoute implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final LocalFunction function;

    private RecordingRoute(String name, Integer statusCode, Duration delay) {
        this(name, statusCode, delay, 0);
    }

    private RecordingRoute(String name, Integer statusCode, Duration delay, int failFirst) {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        this.function = LocalFunction.ofStream(name, (input, output, context) -> {
            events.add(JSON.readTree(input));
            if (calls.incrementAndGet() <= failFirst) {
                throw new IllegalStateException("route " + name + " fails call " + calls.get() + " on purpose");
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (statusCode == null) {
                throw new IllegalStateException("route " + name + " fails on purpose");
            }
            output.write(("{\"statusCode\":" + statusCode + "}").getBytes(StandardCharsets.UTF_8));
        }, 64, Duration.ofSeconds(10));
    }

    static RecordingRoute answering(String name, int statusCode) {
        return new RecordingRoute(name, statusCode, Duration.ZERO);
    }

    /** Answers only after {@code delay}: a slow $connect. */
    static RecordingRoute answeringAfter(String name, int statusCode, Duration delay) {
        return new RecordingRoute(name, statusCode, delay);
    }

    /** Fails its first {@code failures} invocations (a throttled or crashed function), then answers 200. */
    static RecordingRoute failingFirst(String name, int failures) {
        return new RecordingRoute(name, 200, Duration.ZERO, failures);
    }

    static RecordingRoute failing(String name) {
        return new RecordingRoute(name, null, Duration.ZERO);
    }

    LocalFunction function() {
        return function;
    }

    List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** Waits until at least {@code count} events arrived and returns them. */
    List<JsonNode> awaitEvents(int count) {
        Eventually.until(() -> events.size() >= count,
                () -> function.name() + " got " + events.size() + " events, expected " + count);
        return events();
    }

    @Override
    public void close() {
        function.close();
    }
}
