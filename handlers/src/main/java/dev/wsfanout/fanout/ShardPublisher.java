package dev.wsfanout.fanout;

import dev.wsfanout.model.DeliveryChunk;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sends delivery chunks to the shard queues with SendMessageBatch: ten entries (or as many as fit
 * SQS's batch size limit) per call, each call to the next shard in round-robin order from a
 * random start, so the chunks of one query invocation spread over every shard and concurrent
 * invocations do not all begin on shard 0. Entries SQS reports failed are resent — only those —
 * with exponential backoff; if they still fail, the send fails and with it the invocation, so the
 * Map's Retry runs the batch again (postMessage skips the chunks already delivered).
 */
public final class ShardPublisher {

    static final int MAX_ENTRIES = 10;
    private static final int MAX_SEND_ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

    private final SqsAsyncClient sqs;
    private final List<String> shardQueueUrls;
    private final int maxBatchBytes;
    private final int maxInFlight;
    private final Object lock = new Object();
    private final List<Pending> pending = new ArrayList<>();
    private final Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    /** The first send that failed after its retries; once set, the publisher's flush fails with it. */
    private Throwable failure;
    private int pendingBytes;
    private int nextShard;

    private record Pending(DeliveryChunk chunk, String body) {
    }

    public ShardPublisher(SqsAsyncClient sqs, List<String> shardQueueUrls, int maxBatchBytes, int maxInFlight) {
        this.sqs = sqs;
        this.shardQueueUrls = List.copyOf(shardQueueUrls);
        this.maxBatchBytes = maxBatchBytes;
        this.maxInFlight = maxInFlight;
        this.nextShard = ThreadLocalRandom.current().nextInt(shardQueueUrls.size());
    }

    /**
     * Queues a chunk for sending. The returned future completes at once, or — when too many
     * batches are in flight — once the oldest of them is sent: callers compose on it so reading
     * slows down to the pace SQS accepts, instead of piling chunks up in memory.
     */
    public CompletableFuture<Void> submit(DeliveryChunk chunk) {
        String body = chunk.toJson();
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        synchronized (lock) {
            if (!pending.isEmpty() && (pending.size() == MAX_ENTRIES || pendingBytes + size > maxBatchBytes)) {
                sendPendingLocked();
            }
            pending.add(new Pending(chunk, body));
            pendingBytes += size;
            if (pending.size() == MAX_ENTRIES) {
                sendPendingLocked();
            }
            // Finished sends leave the window; a failed one is remembered in `failure` by its own callback.
            inFlight.removeIf(CompletableFuture::isDone);
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            return inFlight.size() > maxInFlight ? inFlight.peekFirst() : CompletableFuture.completedFuture(null);
        }
    }

    /** Sends what is still pending and completes when every batch is in SQS (or fails if one could not be). */
    public CompletableFuture<Void> flush() {
        CompletableFuture<?>[] all;
        synchronized (lock) {
            if (!pending.isEmpty()) {
                sendPendingLocked();
            }
            all = inFlight.toArray(new CompletableFuture<?>[0]);
        }
        return CompletableFuture.allOf(all).handle((done, error) -> {
            synchronized (lock) {
                Throwable first = failure != null ? failure : error;
                if (first != null) {
                    throw new CompletionException(unwrap(first));
                }
                return null;
            }
        });
    }

    /** Sends one chunk to a given queue after {@code delay} (postMessage's re-enqueue of failed ids). */
    public CompletableFuture<Void> sendDelayed(String queueUrl, DeliveryChunk chunk, int delaySeconds) {
        SendMessageBatchRequestEntry entry = SendMessageBatchRequestEntry.builder()
                .id("0").messageBody(chunk.toJson()).delaySeconds(delaySeconds).build();
        return sendWithRetries(queueUrl, List.of(entry), 1);
    }

    private void sendPendingLocked() {
        String queueUrl = shardQueueUrls.get(nextShard);
        nextShard = (nextShard + 1) % shardQueueUrls.size();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(pending.get(i).body()).build());
        }
        pending.clear();
        pendingBytes = 0;
        CompletableFuture<Void> send = sendWithRetries(queueUrl, entries, 1).whenComplete((ok, error) -> {
            synchronized (lock) {
                if (error != null && failure == null) {
                    failure = unwrap(error);
                }
            }
        });
        inFlight.addLast(send);
    }

    private CompletableFuture<Void> sendWithRetries(String queueUrl, List<SendMessageBatchRequestEntry> entries, int attempt) {
        return sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries))
                .handle((response, error) -> retryList(queueUrl, entries, response, error, attempt))
                .thenCompose(Function.identity());
    }

    private CompletableFuture<Void> retryList(String queueUrl, List<SendMessageBatchRequestEntry> entries,
                                              SendMessageBatchResponse response, Throwable error, int attempt) {
        List<SendMessageBatchRequestEntry> failed;
        String reason;
        if (error != null) {
            failed = entries;
            reason = unwrap(error).toString();
        } else if (response.failed().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        } else {
            Map<String, SendMessageBatchRequestEntry> byId = entries.stream()
                    .collect(Collectors.toMap(SendMessageBatchRequestEntry::id, e -> e));
            failed = response.failed().stream().map(f -> byId.get(f.id())).toList();
            reason = response.failed().get(0).code() + ": " + response.failed().get(0).message();
        }
        if (attempt >= MAX_SEND_ATTEMPTS) {
            return CompletableFuture.failedFuture(new ShardSendException(queueUrl, failed.size(), attempt, reason));
        }
        long backoffMillis = FIRST_BACKOFF.toMillis() << (attempt - 1);
        long jittered = ThreadLocalRandom.current().nextLong(backoffMillis / 2, backoffMillis + 1);
        Executor later = CompletableFuture.delayedExecutor(jittered, TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> null, later)
                .thenCompose(ignored -> sendWithRetries(queueUrl, failed, attempt + 1));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Some chunks could not be written to a shard queue after every retry. */
    public static final class ShardSendException extends RuntimeException {
        public ShardSendException(String queueUrl, int entries, int attempts, String reason) {
            super("ShardSendFailed: " + entries + " chunk(s) could not be sent to " + queueUrl + " after "
                    + attempts + " attempts; last error: " + reason);
        }
    }
}
