package dev.wsfanout.fanout;

import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.Envelope;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.registry.ConnectionRegistry;
import software.amazon.awssdk.core.SdkBytes;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The postMessage step: delivers the chunks of one SQS batch. For each chunk it claims the chunk's
 * marker, posts to every connection, removes the gone ones from the registry, re-enqueues the ids
 * that are worth another try (only those, on the same shard, with a growing delay), counts the
 * rest as failed with their reason, marks the chunk done and adds its outcome to the broadcast's
 * tally. Chunks of a batch run concurrently and share the invocation's rate governor.
 * See docs/failure-model.md for what happens when any of this is interrupted.
 */
public final class ChunkDelivery {

    /** One SQS record as far as delivery cares. */
    public record ChunkMessage(String messageId, String body, String eventSourceArn) {
    }

    private final ConnectionPoster poster;
    private final DeliveryLedger ledger;
    private final BroadcastTallies tallies;
    private final ConnectionRegistry registry;
    private final ShardPublisher retries;
    private final FanoutConfig config;
    private final ExecutorService chunkThreads;
    private final Consumer<String> metrics;
    private final Clock clock;

    public ChunkDelivery(ConnectionPoster poster, DeliveryLedger ledger, BroadcastTallies tallies,
                         ConnectionRegistry registry, ShardPublisher retries, FanoutConfig config,
                         ExecutorService chunkThreads, Consumer<String> metrics, Clock clock) {
        this.poster = poster;
        this.ledger = ledger;
        this.tallies = tallies;
        this.registry = registry;
        this.retries = retries;
        this.config = config;
        this.chunkThreads = chunkThreads;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Delivers a batch.
     *
     * @param leaseMillis how long this invocation may hold a chunk (its remaining time)
     * @return the message ids of records that broke as a whole and should come back from SQS
     */
    public List<String> deliver(List<ChunkMessage> batch, long leaseMillis) {
        // Posting stops early enough to leave time for the settling writes (registry, re-enqueue,
        // marker, tally): an invocation killed by its timeout would post its chunks again.
        long postDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMillis - settleReserveMillis(leaseMillis));
        List<CompletableFuture<ChunkResult>> running = new ArrayList<>();
        for (ChunkMessage message : batch) {
            running.add(CompletableFuture.supplyAsync(() -> deliverOne(message, leaseMillis, postDeadline), chunkThreads));
        }
        List<String> failedRecords = new ArrayList<>();
        BroadcastTally total = BroadcastTally.ZERO;
        for (CompletableFuture<ChunkResult> r : running) {
            ChunkResult result = r.join();
            if (result.broken()) {
                failedRecords.add(result.messageId());
            } else {
                total = total.plus(result.tally());
            }
        }
        metrics.accept(DeliveryMetrics.emf(total, clock.millis()));
        return failedRecords;
    }

    private record ChunkResult(String messageId, boolean broken, BroadcastTally tally) {
        static ChunkResult broken(String messageId) {
            return new ChunkResult(messageId, true, BroadcastTally.ZERO);
        }
    }

    /** A quarter of the time, at least 200 ms and at most 10 s. */
    static long settleReserveMillis(long leaseMillis) {
        return Math.min(10_000, Math.max(200, leaseMillis / 4));
    }

    private ChunkResult deliverOne(ChunkMessage message, long leaseMillis, long postDeadline) {
        DeliveryChunk chunk;
        try {
            chunk = JsonCodec.read(message.body(), DeliveryChunk.class);
        } catch (IllegalArgumentException unreadable) {
            // Not retried forever: the queue's redrive policy moves it to the DLQ after maxReceiveCount.
            System.err.println("postMessage: record " + message.messageId() + " is not a delivery chunk: "
                    + unreadable.getMessage());
            return ChunkResult.broken(message.messageId());
        }
        switch (ledger.begin(chunk.broadcastId(), chunk.chunkId(), leaseMillis)) {
            case ALREADY_DONE:
                return new ChunkResult(message.messageId(), false, BroadcastTally.ZERO);
            case HELD_ELSEWHERE:
                return ChunkResult.broken(message.messageId());
            default:
                break;
        }
        try {
            return new ChunkResult(message.messageId(), false, settle(chunk, message.eventSourceArn(), postDeadline));
        } catch (RuntimeException e) {
            ledger.release(chunk.broadcastId(), chunk.chunkId());
            System.err.println("postMessage: chunk " + chunk.chunkId() + " of " + chunk.broadcastId()
                    + " broke and goes back to SQS: " + e);
            return ChunkResult.broken(message.messageId());
        }
    }

    private BroadcastTally settle(DeliveryChunk chunk, String eventSourceArn, long postDeadline) {
        long firstPost = clock.millis();
        SdkBytes data = SdkBytes.fromUtf8String(JsonCodec.write(new Envelope(chunk.broadcastId(), chunk.message())));
        ConnectionPoster.Result result = poster.post(chunk.connectionIds(), data, postDeadline);

        List<String> gone = result.idsWith(PostOutcome.GONE);
        for (String id : gone) {
            registry.disconnect(id);
        }
        List<String> failed = new ArrayList<>(result.idsWith(PostOutcome.REJECTED));
        List<String> again = new ArrayList<>(result.idsWith(PostOutcome.NOT_ATTEMPTED));
        List<String> throttled = result.idsWith(PostOutcome.RETRYABLE);
        if (chunk.attempt() + 1 < config.maxDeliveryAttempts()) {
            again.addAll(throttled);
        } else {
            failed.addAll(throttled);
        }
        if (!again.isEmpty()) {
            retries.sendDelayed(queueOf(eventSourceArn, chunk), chunk.retryOf(again), delaySeconds(chunk.attempt())).join();
        }
        long retried = again.size();
        if (!failed.isEmpty()) {
            ledger.recordFailures(chunk.broadcastId(), chunk.chunkId(), failed,
                    "after " + (chunk.attempt() + 1) + " attempt(s): " + result.reasons().get(failed.get(0)));
        }
        BroadcastTally outcome = new BroadcastTally(0, result.count(PostOutcome.DELIVERED), gone.size(), failed.size(), retried);
        if (ledger.finish(chunk.broadcastId(), chunk.chunkId(), outcome)) {
            tallies.add(chunk.broadcastId(), outcome, firstPost);
            return outcome;
        }
        return BroadcastTally.ZERO;
    }

    /** 1 s, 2 s, 4 s, ... capped at SQS's 15-minute maximum delay. */
    static int delaySeconds(int attempt) {
        return (int) Math.min(900, 1L << Math.min(attempt, 10));
    }

    /** Failed ids go back to the shard they came from, so one hot shard does not spill onto the others. */
    private String queueOf(String eventSourceArn, DeliveryChunk chunk) {
        List<String> urls = config.requireShardQueueUrls();
        if (eventSourceArn != null) {
            String queueName = eventSourceArn.substring(eventSourceArn.lastIndexOf(':') + 1);
            for (String url : urls) {
                if (url.endsWith("/" + queueName)) {
                    return url;
                }
            }
        }
        return urls.get(Math.floorMod(chunk.chunkId().hashCode(), urls.size()));
    }
}
