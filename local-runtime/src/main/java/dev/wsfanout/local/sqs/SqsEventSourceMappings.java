package dev.wsfanout.local.sqs;

import dev.wsfanout.local.lambda.LocalFunction;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.util.List;

/** One {@link SqsEventSourceMapping} per queue, all feeding the same function: the shard queues' triggers. */
public final class SqsEventSourceMappings implements AutoCloseable {

    private final List<SqsEventSourceMapping> mappings;

    private SqsEventSourceMappings(List<SqsEventSourceMapping> mappings) {
        this.mappings = List.copyOf(mappings);
    }

    /** Mappings for {@code queueUrls} with the same settings; call {@link #start()} to begin polling. */
    public static SqsEventSourceMappings forQueues(SqsAsyncClient sqs, List<String> queueUrls, LocalFunction function,
                                                  SqsEventSourceMappingSettings settings) {
        if (queueUrls.isEmpty()) {
            throw new IllegalArgumentException("SQS event-source mappings for " + function.name() + ": no queue URLs given");
        }
        return new SqsEventSourceMappings(queueUrls.stream()
                .map(url -> new SqsEventSourceMapping(sqs, url, function, settings))
                .toList());
    }

    /** Starts every mapping; if one cannot start, the ones already started are closed again. */
    public SqsEventSourceMappings start() {
        try {
            mappings.forEach(SqsEventSourceMapping::start);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    public List<SqsEventSourceMapping> mappings() {
        return mappings;
    }

    /** The counters of all mappings added up. */
    public SqsEventSourceMappingCounters counters() {
        return mappings.stream()
                .map(SqsEventSourceMapping::counters)
                .reduce(SqsEventSourceMappingCounters.ZERO, SqsEventSourceMappingCounters::plus);
    }

    /** Stops every mapping's polling first, then waits for all in-flight invocations. */
    @Override
    public void close() {
        mappings.forEach(SqsEventSourceMapping::stopPolling);
        mappings.forEach(SqsEventSourceMapping::awaitInFlight);
    }
}
