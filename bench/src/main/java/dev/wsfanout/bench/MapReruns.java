package dev.wsfanout.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.wsfanout.model.JsonCodec;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wraps the query handler (LocalDeploymentOptions.queryHandlerDecorator) so the Distributed Map reruns
 * every tenth batch once: the first attempt runs the real handler to the end, so its plan is
 * stored and its chunks are queued, and then fails as a connection reset would
 * ({@link SdkClientException}, which the Map's Retry names). The rerun must send the stored plan,
 * not a new one. Attempts that fail on their own, under the injected DynamoDB and SQS faults, are
 * counted too: they are reruns as well.
 */
final class MapReruns {

    /** Batches are ten partitions: batch k starts at partition 10k + 1, and k = 0, 10, 20, ... is rerun. */
    private static final int EVERY = 10;

    private final Map<Integer, AtomicInteger> attemptsByFirstPartition = new ConcurrentHashMap<>();
    private final LongAdder injected = new LongAdder();
    private final LongAdder failedOnTheirOwn = new LongAdder();

    RequestStreamHandler wrap(RequestStreamHandler real) {
        return (in, out, context) -> {
            byte[] event = in.readAllBytes();
            int first = JsonCodec.readTree(new String(event, StandardCharsets.UTF_8)).get("Items").get(0).asInt();
            int attempt = attemptsByFirstPartition.computeIfAbsent(first, p -> new AtomicInteger()).incrementAndGet();
            ByteArrayOutputStream result = new ByteArrayOutputStream();
            try {
                real.handleRequest(new ByteArrayInputStream(event), result, context);
            } catch (RuntimeException e) {
                failedOnTheirOwn.increment();
                throw e;
            }
            if (attempt == 1 && (first - 1) / 10 % EVERY == 0) {
                injected.increment();
                throw SdkClientException.create("chaos: connection reset after the chunks of the batch at partition " + first
                        + " were queued");
            }
            out.write(result.toByteArray());
        };
    }

    /** Reruns this class forced. */
    long injected() {
        return injected.sum();
    }

    /** Attempts whose real handler failed (a fault past the SDK's retries); the Map reran those too. */
    long failedOnTheirOwn() {
        return failedOnTheirOwn.sum();
    }

    /** Query invocations in all, first attempts and reruns. */
    long attempts() {
        return attemptsByFirstPartition.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    /** Batches the query step was invoked for. */
    int batches() {
        return attemptsByFirstPartition.size();
    }
}
