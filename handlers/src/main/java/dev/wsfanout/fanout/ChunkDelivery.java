package dev.wsfanout.fanout;

import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.Envelope;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.registry.ConnectionRegistry;
import software.amazon.awssdk.core.SdkBytes;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The postMessage step: delivers the chunks of one SQS batch. Each chunk's settlement is a small
 * persisted state machine (see {@link DeliveryLedger}): claim the marker, post to every
 * connection, remove the gone ones from the registry (a 410 for a row younger than
 * {@link ConnectionRegistry#CONNECTING_GRACE} is a connection still connecting: kept and tried again), save the
 * outcome on the marker, then — from the saved outcome only — send the retry chunk (its id derived
 * from the chunk's, so a second send is the same chunk) and count the outcome once (see
 * {@link BroadcastTallies}). A delivery of a chunk
 * that was posted before finishes those steps without posting again. Chunks of a batch run
 * concurrently, share the invocation's rate governor, and each record succeeds or fails alone.
 * See docs/failure-model.md for why no fault can skip a connection or miscount one.
 */
public final class ChunkDelivery {

    /**
     * A 410 for a connection registered less than this long ago is taken for one still
     * connecting: its row stays and the post is retried (the retry delays, 1 + 2 + 4 s, outlast it).
     */

    /**
     * Rounds of nothing but 429s after which an id counts failed: with the delays of
     * {@link #throttledDelaySeconds} that is about four minutes of a quota too small for the fleet.
     */
    static final int MAX_THROTTLE_ROUNDS = 12;

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
    private final DeliveryCheckpoints checkpoints;
    private final Clock clock;

    public ChunkDelivery(ConnectionPoster poster, DeliveryLedger ledger, BroadcastTallies tallies,
                         ConnectionRegistry registry, ShardPublisher retries, FanoutConfig config,
                         ExecutorService chunkThreads, Consumer<String> metrics, DeliveryCheckpoints checkpoints, Clock clock) {
        this.poster = poster;
        this.ledger = ledger;
        this.tallies = tallies;
        this.registry = registry;
        this.retries = retries;
        this.config = config;
        this.chunkThreads = chunkThreads;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /**
     * Delivers a batch and returns once every chunk of it has finished.
     *
     * @param leaseMillis how long this invocation may hold a chunk (its remaining time)
     * @return the message ids of records that broke and should come back from SQS
     */
    public List<String> deliver(List<ChunkMessage> batch, long leaseMillis) {
        // Posting stops early enough to leave time for the settling writes; a post started just
        // before the deadline can still take its whole call timeout.
        long postDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMillis - settleReserveMillis(leaseMillis));
        List<CompletableFuture<ChunkResult>> running = new ArrayList<>();
        for (ChunkMessage message : batch) {
            running.add(CompletableFuture.supplyAsync(() -> deliverOne(message, leaseMillis, postDeadline), chunkThreads));
        }
        try {
            CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0])).join();
        } catch (CompletionException killed) {
            // Only an Error gets here (deliverOne catches every RuntimeException): end the
            // invocation as a crash would, after every other chunk has finished.
            if (killed.getCause() instanceof Error e) {
                throw e;
            }
            throw killed;
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

        static ChunkResult settled(String messageId, BroadcastTally counted) {
            return new ChunkResult(messageId, false, counted);
        }
    }

    /**
     * The part of the time kept for settling: a quarter, at least the post call timeout plus a
     * second (a post started just before the deadline may take that long), never more than half.
     */
    static long settleReserveMillis(long leaseMillis) {
        long wanted = Math.max(leaseMillis / 4, ConnectionPoster.CALL_TIMEOUT.toMillis() + 1_000);
        return Math.min(Math.min(wanted, 10_000), leaseMillis / 2);
    }

    private ChunkResult deliverOne(ChunkMessage message, long leaseMillis, long postDeadline) {
        DeliveryChunk chunk;
        try {
            chunk = DeliveryChunk.fromJson(message.body());
        } catch (IllegalArgumentException unreadable) {
            // Not retried forever: the queue's redrive policy moves it to the DLQ after maxReceiveCount.
            System.err.println("postMessage: record " + message.messageId() + " is not a delivery chunk: "
                    + unreadable.getMessage());
            return ChunkResult.broken(message.messageId());
        }
        try {
            return settle(message, chunk, leaseMillis, postDeadline);
        } catch (RuntimeException e) {
            System.err.println("postMessage: chunk " + chunk.chunkId() + " of " + chunk.broadcastId()
                    + " goes back to SQS: " + e);
            return ChunkResult.broken(message.messageId());
        }
    }

    private ChunkResult settle(ChunkMessage message, DeliveryChunk chunk, long leaseMillis, long postDeadline) {
        String owner = UUID.randomUUID().toString();
        DeliveryLedger.Claim claim = ledger.claim(chunk.broadcastId(), chunk.chunkId(), chunk.attempt(), owner, leaseMillis);
        ChunkOutcome outcome;
        switch (claim.state()) {
            case HELD_ELSEWHERE:
                return ChunkResult.broken(message.messageId());
            case POSTED:
                if (tallies.isCounted(chunk.broadcastId(), chunk.chunkId())) {
                    return ChunkResult.settled(message.messageId(), BroadcastTally.ZERO);
                }
                outcome = claim.outcome().orElseThrow();
                break;
            default:
                checkpoints.reached(DeliveryCheckpoints.Step.CLAIMED, chunk);
                outcome = postAndRecord(chunk, owner, postDeadline);
                break;
        }
        return ChunkResult.settled(message.messageId(), finish(chunk, message.eventSourceArn(), outcome));
    }

    /** Posts a claimed chunk and saves its outcome; the claim is released if that cannot be done. */
    private ChunkOutcome postAndRecord(DeliveryChunk chunk, String owner, long postDeadline) {
        try {
            ChunkOutcome outcome = post(chunk, postDeadline);
            checkpoints.reached(DeliveryCheckpoints.Step.POSTED, chunk);
            ChunkOutcome saved = ledger.recordPosted(chunk.broadcastId(), chunk.chunkId(), owner, outcome);
            checkpoints.reached(DeliveryCheckpoints.Step.OUTCOME_SAVED, chunk);
            return saved;
        } catch (DeliveryLedger.LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            ledger.release(chunk.broadcastId(), chunk.chunkId(), owner);
            throw e;
        }
    }

    private ChunkOutcome post(DeliveryChunk chunk, long postDeadline) {
        long firstPost = clock.millis();
        SdkBytes data = SdkBytes.fromUtf8String(new Envelope(chunk.broadcastId(), chunk.seq(), chunk.messageJson()).toJson());
        ConnectionPoster.Result result = poster.post(chunk.connectionIds(), data, postDeadline);
        List<String> failed = new ArrayList<>(result.idsWith(PostOutcome.REJECTED));
        List<String> erred = new ArrayList<>(result.idsWith(PostOutcome.RETRYABLE));
        List<String> throttled = result.idsWith(PostOutcome.THROTTLED);
        List<String> gone = new ArrayList<>();
        for (String id : result.idsWith(PostOutcome.GONE)) {
            // Removed before the outcome is saved: the outcome must say whether a 410 was a
            // connection still connecting (kept, tried again) or one that is gone.
            if (removeGone(id) == ConnectionRegistry.GoneRemoval.TOO_YOUNG) {
                erred.add(id);
            } else {
                gone.add(id);
            }
        }
        // An attempt is spent only by an error. A 429 says "slower", and an id the invocation had
        // no time to try was refused nothing: both travel on without spending one (429s up to
        // MAX_THROTTLE_ROUNDS), so a throttle storm or a slow invocation cannot fail a connection.
        List<String> retry = new ArrayList<>();
        if (chunk.attempt() + 1 < config.maxDeliveryAttempts()) {
            retry.addAll(erred);
        } else {
            failed.addAll(erred);
        }
        List<String> throttledOn = new ArrayList<>();
        if (chunk.throttles() + 1 < MAX_THROTTLE_ROUNDS) {
            throttledOn.addAll(throttled);
        } else {
            failed.addAll(throttled);
        }
        String reason = failed.isEmpty() ? null
                : "after " + (chunk.attempt() + 1) + " attempt(s) and " + chunk.throttles() + " throttled round(s): "
                + result.reasons().get(failed.get(0));
        return new ChunkOutcome(result.count(PostOutcome.DELIVERED), gone, retry, throttledOn,
                result.idsWith(PostOutcome.NOT_ATTEMPTED), failed, reason, firstPost);
    }

    /**
     * A removal that fails (the registry throttled or unreachable past the SDK's retries) must
     * not fail the chunk: its posts are made, and failing now would post them all again. The id
     * is handled as one still connecting: tried again later, when the removal is tried again.
     */
    private ConnectionRegistry.GoneRemoval removeGone(String id) {
        try {
            return registry.removeGone(id, ConnectionRegistry.CONNECTING_GRACE);
        } catch (RuntimeException registryUnavailable) {
            System.err.println("postMessage: " + id + " answered 410 but its row could not be removed (tried again with the"
                    + " chunk's retry): " + registryUnavailable);
            return ConnectionRegistry.GoneRemoval.TOO_YOUNG;
        }
    }

    /** Everything after the outcome is saved: each step is safe to repeat, so a redelivery simply runs them again. */
    private BroadcastTally finish(DeliveryChunk chunk, String eventSourceArn, ChunkOutcome outcome) {
        if (!outcome.retryIds().isEmpty()) {
            retries.sendDelayed(queueOf(eventSourceArn, chunk), chunk.retryOf(outcome.retryIds()),
                    delaySeconds(chunk.attempt())).join();
        }
        if (!outcome.throttledIds().isEmpty()) {
            retries.sendDelayed(queueOf(eventSourceArn, chunk), chunk.throttledOf(outcome.throttledIds()),
                    throttledDelaySeconds(chunk.throttles())).join();
        }
        if (!outcome.untriedIds().isEmpty()) {
            // No delay: nothing refused them, the next invocation can take them at once.
            retries.sendDelayed(queueOf(eventSourceArn, chunk), chunk.carryOverOf(outcome.untriedIds()), 0).join();
        }
        checkpoints.reached(DeliveryCheckpoints.Step.SIDE_EFFECTS_DONE, chunk);
        boolean added = tallies.count(chunk.broadcastId(), chunk.chunkId(), outcome.tally(), outcome.firstPostMillis());
        checkpoints.reached(DeliveryCheckpoints.Step.COUNTED, chunk);
        return added ? outcome.tally() : BroadcastTally.ZERO;
    }

    /** 1 s, 2 s, 4 s, ... capped at 30 s: the quota frees up within seconds, and AIMD paces the fleet meanwhile. */
    static int throttledDelaySeconds(int throttles) {
        return (int) Math.min(30, 1L << Math.min(throttles, 5));
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
