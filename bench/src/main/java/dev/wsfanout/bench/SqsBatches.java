package dev.wsfanout.bench;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Sends message bodies with SendMessageBatch, ten a call, a bounded number of calls in flight,
 * spreading the calls round-robin over the given queues. What the seed's swarm and query functions
 * did to enqueue; a call with a failed entry fails the whole send (the seed retried whole batches).
 */
final class SqsBatches {

    static final int ENTRIES_PER_CALL = 10;

    private final SqsAsyncClient sqs;
    private final int callsInFlight;

    SqsBatches(SqsAsyncClient sqs, int callsInFlight) {
        this.sqs = sqs;
        this.callsInFlight = callsInFlight;
    }

    /** Sends every body; returns when all calls answered. @throws IllegalStateException naming the queue and the failed entries */
    void send(List<String> queueUrls, List<String> bodies) {
        Semaphore window = new Semaphore(callsInFlight);
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int from = 0, call = 0; from < bodies.size(); from += ENTRIES_PER_CALL, call++) {
            List<String> slice = bodies.subList(from, Math.min(bodies.size(), from + ENTRIES_PER_CALL));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < slice.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(slice.get(i)).build());
            }
            String queue = queueUrls.get(call % queueUrls.size());
            window.acquireUninterruptibly();
            calls.add(sqs.sendMessageBatch(r -> r.queueUrl(queue).entries(entries)).whenComplete((response, error) -> {
                window.release();
                if (error == null && !response.failed().isEmpty()) {
                    throw new IllegalStateException("SendMessageBatch to " + queue + ": " + response.failed().size()
                            + " entries failed, first: " + response.failed().get(0));
                }
            }));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
    }
}
