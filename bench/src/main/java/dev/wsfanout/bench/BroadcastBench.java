package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.gateway.GatewayCounters;
import dev.wsfanout.local.gateway.WebSocketGateway;
import dev.wsfanout.model.JsonCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one broadcast of a design and measures it the same way for every design: the gateway's
 * counters sampled from the call that starts it until every connection was delivered to (or the
 * deadline), then the real clients' receipts.
 */
public final class BroadcastBench {

    static final long SAMPLE_MILLIS = 50;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Duration QUIET = Duration.ofMillis(1500);
    /** How long deliveries may still trickle in after an entry point that settles its posts has returned. */
    private static final Duration SETTLE_AFTER_ENTRY = Duration.ofSeconds(5);

    private final WebSocketGateway gateway;
    private final Optional<ClientFleet> clients;
    private final Progress progress;

    public BroadcastBench(WebSocketGateway gateway, Optional<ClientFleet> clients, Progress progress) {
        this.gateway = gateway;
        this.clients = clients;
        this.progress = progress;
    }

    /** A message of about 100 bytes, the size of a typical notification. */
    public static JsonNode message(String design) {
        return JsonCodec.readTree("{\"title\":\"bench\",\"design\":\"" + design + "\",\"text\":\"" + "x".repeat(40) + "\"}");
    }

    public DesignRun run(BroadcastDesign design, long expected, Duration deadline) {
        awaitQuiet();
        String broadcastId = "bench-" + design.name().replaceAll("[^A-Za-z0-9]", "") + "-" + SEQUENCE.incrementAndGet()
                + "-" + System.currentTimeMillis();
        GatewayCounters base = gateway.counters();
        List<DeliverySample> samples = new ArrayList<>();
        long start = System.currentTimeMillis();
        long deadlineAt = start + deadline.toMillis();
        CompletableFuture<String> entry;
        try {
            entry = design.start(broadcastId, message(design.name()));
        } catch (RuntimeException e) {
            entry = CompletableFuture.failedFuture(e);
        }
        long complete = -1;
        long entryDone = -1;
        long lastReport = start;
        while (System.currentTimeMillis() < deadlineAt) {
            DeliverySample s = sample(base);
            samples.add(s);
            if (entryDone < 0 && entry.isDone()) {
                entryDone = s.atMillis();
            }
            if (complete < 0 && s.delivered() >= expected) {
                complete = s.atMillis();
            }
            if (complete >= 0 && (entryDone >= 0 || entry.isCompletedExceptionally())) {
                break;
            }
            boolean entryEnded = entryDone >= 0 && (entry.isCompletedExceptionally() || design.postsSettleWithEntry());
            if (entryEnded && complete < 0 && s.atMillis() - entryDone > SETTLE_AFTER_ENTRY.toMillis()) {
                break;
            }
            if (s.atMillis() - lastReport >= 5_000) {
                lastReport = s.atMillis();
                progress.say("  %s: %,d of %,d delivered, %,d throttled (%.0f s)", design.name(), s.delivered(), expected,
                        s.throttled(), (s.atMillis() - start) / 1000.0);
            }
            sleep(SAMPLE_MILLIS);
        }
        String entryResult = describe(entry);
        Receipts receipts = clients.map(c -> c.collect(broadcastId, Duration.ofSeconds(2))).orElse(Receipts.NONE);
        DesignRun run = new DesignRun(design.name(), broadcastId, start, expected, samples, complete, entryDone, entryResult, receipts);
        progress.say("  %s: %s %,d/%,d in %.2f s (%,.0f deliveries/s, %,d throttled)%s", design.name(),
                run.complete() ? "delivered" : "INCOMPLETE", run.delivered(), expected, run.seconds(), run.deliveriesPerSecond(),
                run.throttled(), receipts == Receipts.NONE ? "" : ", clients got " + receipts.received()
                        + " (missing " + receipts.missing() + ", duplicates " + receipts.duplicates() + ")");
        return run;
    }

    private DeliverySample sample(GatewayCounters base) {
        GatewayCounters now = gateway.counters();
        long delivered = now.messagesDelivered() + now.virtualMessagesDelivered() - base.messagesDelivered() - base.virtualMessagesDelivered();
        return new DeliverySample(System.currentTimeMillis(), delivered, now.posts(429) - base.posts(429),
                now.postsTotal() - base.postsTotal());
    }

    /** Waits until no post has reached the gateway for a moment, so one design's stragglers are not counted for the next. */
    private void awaitQuiet() {
        long last = gateway.counters().postsTotal();
        long quietSince = System.currentTimeMillis();
        long giveUp = quietSince + 60_000;
        while (System.currentTimeMillis() - quietSince < QUIET.toMillis() && System.currentTimeMillis() < giveUp) {
            sleep(100);
            long now = gateway.counters().postsTotal();
            if (now != last) {
                last = now;
                quietSince = System.currentTimeMillis();
            }
        }
    }

    private static String describe(CompletableFuture<String> entry) {
        try {
            return entry.get(0, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return "still running at the deadline";
        } catch (java.util.concurrent.ExecutionException e) {
            return "failed: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
