package dev.wsfanout.local.sqs;

import dev.wsfanout.local.Eventually;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.wsfanout.local.lambda.LambdaAccount;
import dev.wsfanout.local.lambda.LocalFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At the account's concurrency limit a mapping does not scale further: it runs no more batches at
 * once than the account allows, and none of them is throttled or lost.
 */
class SqsEventSourceMappingAccountTest {

    @RegisterExtension
    static final ElasticMqTestServer ELASTIC_MQ = new ElasticMqTestServer();

    @Test
    void theMappingStopsScalingAtTheAccountLimitAndLosesNothing() {
        String url = ELASTIC_MQ.queues().create(Duration.ofSeconds(30));
        List<String> bodies = IntStream.range(0, 24).mapToObj(i -> "m" + i).toList();
        ELASTIC_MQ.queues().send(url, bodies);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        RequestHandler<SQSEvent, Void> handler = (event, context) -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return null;
        };
        LambdaAccount account = new LambdaAccount(2);
        SqsEventSourceMappingSettings settings = SqsEventSourceMappingSettings.builder()
                .batchSize(1).maxConcurrency(5).build();

        try (LocalFunction function = LocalFunction.of("slow", handler, SQSEvent.class, 10, Duration.ofSeconds(10)).inAccount(account);
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(ELASTIC_MQ.sqsAsync(), url, function, settings).start()) {
            Eventually.until("24 deletes", Duration.ofSeconds(30), () -> mapping.counters().recordsDeleted() == 24);

            assertTrue(mostAtOnce.get() <= 2, "batches at once: " + mostAtOnce.get());
            assertEquals(2, account.peak());
            assertEquals(0, account.throttles(), "an event source waits, it is not throttled");
            assertEquals(0, mapping.counters().invocationErrors());
            assertEquals(24, mapping.counters().batches(), "each message once");
        }
    }
}
