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
 * Sends delivery chunks to the shard queues with SendMessageBatch. Chunks are dealt to the shards
 * one by one in round-robin order from a random start, and each shard's chunks are sent ten entries
 * (or as many as fit SQS's batch size limit) a call: so every shard gets the same share of an
 * invocation's chunks, give or take one. Dealing whole calls instead (ten consecutive chunks to one
 * shard) left the shards as uneven as the calls' random starts: an invocation of 21 chunks put 10,
 * 10 and 1 on three shards, and over a small broadcast's ten invocations the busiest shard had
 * twice the mean, so the broadcast ended in a tail of one or two shards posting alone. The cost is
 * calls: up to one per shard for an invocation of fewer than ten chunks a shard.
 * Entries SQS reports failed are resent — only those —
 * with exponential backoff; if they still fail, the send fails and with it the invocation, so the
 * Map's Retry runs the batch again (postMessage skips the chunks already delivered).
 */
public final class ShardPublisher {

    static final int MAX_ENTRIES = 10;
    private static final int MAX_SEND_ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

    private final SqsAsyncClient sqs;
    private final int maxBatchBytes;
    private final int maxInFlight;
    private final Object lock = new Object();
    /** Each shard's chunks not sent yet, in the order of the shard queue URLs. */
    private final List<ShardBatch> pending;
    private final Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    /** The first send that failed after its retries; once set, the publisher's flush fails with it. */
    private Throwable failure;
    private int nextShard;

    /** One shard's next SendMessageBatch: its entries' bodies and their size. */
    private static final class ShardBatch {
        private final String queueUrl;
        private final List<String> bodies = new ArrayList<>();
        private int bytes;

        private ShardBatch(String queueUrl) {
            this.queueUrl = queueUrl;
        }
    }

    public ShardPublisher(SqsAsyncClient sqs, List<String> shardQueueUrls, int maxBatchBytes, int maxInFlight) {
        this.sqs = sqs;
        this.maxBatchBytes = maxBatchBytes;
        this.maxInFlight = maxInFlight;
        this.pending = shardQueueUrls.stream().map(ShardBatch::new).toList();
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
            ShardBatch batch = pending.get(nextShard);
            nextShard = (nextShard + 1) % pending.size();
            if (!batch.bodies.isEmpty() && batch.bytes + size > maxBatchBytes) {
                sendLocked(batch);
            }
            batch.bodies.add(body);
            batch.bytes += size;
            if (batch.bodies.size() == MAX_ENTRIES) {
                sendLocked(batch);
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
            for (ShardBatch batch : pending) {
                if (!batch.bodies.isEmpty()) {
                    sendLocked(batch);
                }
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

    private void sendLocked(ShardBatch batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.bodies.size());
        for (int i = 0; i < batch.bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(batch.bodies.get(i)).build());
        }
        batch.bodies.clear();
        batch.bytes = 0;
        CompletableFuture<Void> send = sendWithRetries(batch.queueUrl, entries, 1).whenComplete((ok, error) -> {
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
