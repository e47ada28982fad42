package dev.wsfanout.plan;

import dev.wsfanout.fanout.RateGovernor;

import java.util.ArrayList;
import java.util.List;

/**
 * One invocation of wsfanout's postMessage, following the handler (ChunkDelivery, ConnectionPoster,
 * RateGovernor): the chunks of the batch are delivered concurrently and share one rate governor
 * and at most {@code POST_CONCURRENCY} posts in flight. Each chunk claims its marker (a DynamoDB
 * write), posts its ids in up to three rounds, pausing 100 ms then 200 ms before retrying the ids
 * answered 429; ids still throttled go back to the chunk's shard as a new chunk with a delay of
 * 1, 2, 4 s, until {@code MAX_DELIVERY_ATTEMPTS} chunk attempts, and are failed after that. The
 * chunk then records its outcome (two DynamoDB writes).
 *
 * <p>Posts are simulated in groups: all posts an invocation starts in one tick share one
 * completion event. That keeps 600,000 connections cheap and keeps the 429/AIMD feedback per
 * round trip.
 */
final class PostMessageInvocation {

    /** ConnectionPoster.IN_INVOCATION_ATTEMPTS and FIRST_BACKOFF_MILLIS. */
    private static final int ROUNDS = 3;
    private static final long FIRST_ROUND_PAUSE_MICROS = 100_000;

    private static final class Chunk {
        private final SqsMessage message;
        private int round;
        private int waiting;
        private int inFlight;
        private int throttled;

        Chunk(SqsMessage message) {
            this.message = message;
        }
    }

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final ApiGatewayThrottle api;
    private final DeliveryProgress progress;
    private final SqsQueue source;
    private final Runnable done;
    private final RateGovernor governor;
    private final List<Chunk> posting = new ArrayList<>();
    private int inFlight;
    private int openChunks;
    private int rotation;
    private boolean finished;

    PostMessageInvocation(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                          ApiGatewayThrottle api, DeliveryProgress progress, List<SqsMessage> batch, SqsQueue source,
                          Runnable done) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.api = api;
        this.progress = progress;
        this.source = source;
        this.done = done;
        // The handler's own governor, on the simulated clock (microseconds to nanoseconds).
        this.governor = new RateGovernor(parameters.effectivePostRate(), () -> scheduler.now() * 1000);
        this.openChunks = batch.size();
        for (SqsMessage message : batch) {
            Chunk chunk = new Chunk(message);
            scheduler.after(latency.micros(parameters.dynamoLatencyMs()),
                    () -> startRound(chunk, message.connections()));
        }
        if (openChunks == 0) {
            finish();
        }
    }

    boolean finished() {
        return finished;
    }

    /**
     * Starts the posts the governor and the free slots allow. Returns true when ids are still
     * waiting because of the invocation's own pacing, not for lack of work.
     */
    boolean tick() {
        posting.removeIf(chunk -> chunk.waiting == 0);
        int waiting = posting.stream().mapToInt(chunk -> chunk.waiting).sum();
        if (waiting == 0) {
            return false;
        }
        int wanted = Math.min(waiting, parameters.postConcurrency() - inFlight);
        int starting = 0;
        while (starting < wanted && governor.tryAcquire()) {
            starting++;
        }
        if (starting > 0) {
            start(starting);
        }
        return waiting > starting;
    }

    private void startRound(Chunk chunk, int ids) {
        chunk.round++;
        chunk.waiting = ids;
        chunk.throttled = 0;
        posting.add(chunk);
    }

    /** Shares {@code count} posts among the chunks, the account throttle deciding which are accepted. */
    private void start(int count) {
        int chunks = posting.size();
        rotation = (rotation + 1) % chunks;
        int[] taken = new int[chunks];
        int left = count;
        while (left > 0) {
            int share = Math.max(1, left / chunks);
            for (int i = 0; i < chunks && left > 0; i++) {
                Chunk chunk = posting.get((rotation + i) % chunks);
                int more = Math.min(Math.min(share, chunk.waiting - taken[i]), left);
                taken[i] += more;
                left -= more;
            }
        }
        int acceptedLeft = api.admit(scheduler.now(), count);
        List<Chunk> group = new ArrayList<>(chunks);
        int[] takenByChunk = new int[chunks];
        int[] acceptedByChunk = new int[chunks];
        for (int i = 0; i < chunks; i++) {
            Chunk chunk = posting.get((rotation + i) % chunks);
            group.add(chunk);
            takenByChunk[i] = taken[i];
            acceptedByChunk[i] = Math.min(taken[i], acceptedLeft);
            acceptedLeft -= acceptedByChunk[i];
            chunk.waiting -= taken[i];
            chunk.inFlight += taken[i];
        }
        inFlight += count;
        scheduler.after(latency.micros(parameters.effectivePostLatencyMs()),
                () -> complete(group, takenByChunk, acceptedByChunk, count));
    }

    private void complete(List<Chunk> group, int[] taken, int[] accepted, int count) {
        long now = scheduler.now();
        inFlight -= count;
        int acceptedTotal = 0;
        for (int i = 0; i < group.size(); i++) {
            Chunk chunk = group.get(i);
            chunk.inFlight -= taken[i];
            chunk.throttled += taken[i] - accepted[i];
            acceptedTotal += accepted[i];
        }
        progress.delivered(now, acceptedTotal);
        progress.throttled(now, count - acceptedTotal);
        if (acceptedTotal > 0) {
            governor.onSuccess();
        }
        if (acceptedTotal < count) {
            governor.onThrottled();
        }
        for (int i = 0; i < group.size(); i++) {
            Chunk chunk = group.get(i);
            if (taken[i] > 0 && chunk.waiting == 0 && chunk.inFlight == 0) {
                endRound(chunk);
            }
        }
    }

    private void endRound(Chunk chunk) {
        int throttled = chunk.throttled;
        if (throttled > 0 && chunk.round < ROUNDS) {
            scheduler.after(FIRST_ROUND_PAUSE_MICROS << (chunk.round - 1), () -> startRound(chunk, throttled));
            return;
        }
        long closing = 2 * latency.micros(parameters.dynamoLatencyMs());
        if (throttled > 0) {
            int attempt = chunk.message.attempt();
            if (attempt + 1 < parameters.maxDeliveryAttempts()) {
                long send = latency.micros(parameters.sqsSendLatencyMs());
                long delay = (1L << Math.min(attempt, 10)) * 1_000_000;
                source.sendDelayed(send + delay, new SqsMessage(throttled, attempt + 1, false));
                closing += send;
            } else {
                progress.failed(throttled);
            }
        }
        scheduler.after(closing, this::chunkClosed);
    }

    private void chunkClosed() {
        if (--openChunks == 0) {
            finish();
        }
    }

    private void finish() {
        finished = true;
        done.run();
    }
}
