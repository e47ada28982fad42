package dev.wsfanout.plan;

/**
 * One invocation of wsfanout's postMessage: it posts its batch's connections with at most
 * {@code POST_CONCURRENCY} posts in flight, paced by its own token bucket of {@code POST_RATE}
 * posts/s. A 429 halves its rate (at most once per post latency, since the 429s of one round trip
 * report the same overload) and the rate then climbs back additively; a throttled connection is
 * retried after an exponential backoff with full jitter until it has had
 * {@code MAX_DELIVERY_ATTEMPTS} attempts, then counted failed.
 *
 * <p>Posts are simulated in groups: all posts an invocation starts in one tick share one completion
 * event, which keeps 600,000 connections cheap while keeping the 429/AIMD feedback per round trip.
 */
final class PacedPostInvocation {

    private static final double MIN_RATE = 1;

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final ApiGatewayThrottle api;
    private final DeliveryLedger ledger;
    private final Runnable done;
    /** Connections waiting to be posted, by the number of attempts they have already had. */
    private final int[] waitingByAttempts;
    private final long roundTripMicros;
    private int waiting;
    private int inFlight;
    private int backingOff;
    private double rate;
    private double tokens;
    private long lastDecreaseMicros = Long.MIN_VALUE / 2;
    private boolean finished;

    PacedPostInvocation(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                        ApiGatewayThrottle api, DeliveryLedger ledger, int connections, Runnable done) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.api = api;
        this.ledger = ledger;
        this.done = done;
        this.waitingByAttempts = new int[parameters.maxDeliveryAttempts()];
        this.waitingByAttempts[0] = connections;
        this.waiting = connections;
        this.rate = parameters.postRate();
        this.roundTripMicros = Math.round(parameters.postLatencyMs() * 1000);
        if (connections == 0) {
            finish();
        }
    }

    boolean finished() {
        return finished;
    }

    /**
     * Starts the posts this tick's budget allows. Returns true when connections are still waiting
     * because of the invocation's own pacing (rate, AIMD or posts in flight), not for lack of work.
     */
    boolean tick(double tickSeconds) {
        if (waiting == 0) {
            return false;
        }
        rate = Math.min(parameters.postRate(), rate + parameters.aimdIncrease() * tickSeconds);
        tokens = Math.min(Math.max(1, rate * tickSeconds), tokens + rate * tickSeconds);
        int starting = Math.min(Math.min((int) tokens, parameters.postConcurrency() - inFlight), waiting);
        if (starting > 0) {
            tokens -= starting;
            start(starting);
        }
        return waiting > 0;
    }

    private void start(int count) {
        inFlight += count;
        waiting -= count;
        int accepted = api.admit(scheduler.now(), count);
        int[] rejectedByAttempts = new int[waitingByAttempts.length];
        int toAccept = accepted;
        int toTake = count;
        // Retries go first: they have waited longest.
        for (int attempts = waitingByAttempts.length - 1; attempts >= 0 && toTake > 0; attempts--) {
            int taken = Math.min(toTake, waitingByAttempts[attempts]);
            waitingByAttempts[attempts] -= taken;
            toTake -= taken;
            int acceptedHere = Math.min(taken, toAccept);
            toAccept -= acceptedHere;
            rejectedByAttempts[attempts] = taken - acceptedHere;
        }
        scheduler.after(latency.micros(parameters.postLatencyMs()), () -> complete(count, accepted, rejectedByAttempts));
    }

    private void complete(int count, int accepted, int[] rejectedByAttempts) {
        long now = scheduler.now();
        inFlight -= count;
        ledger.delivered(now, accepted);
        int rejected = count - accepted;
        if (rejected > 0) {
            ledger.throttled(now, rejected);
            requeueOrFail(rejectedByAttempts);
            if (now - lastDecreaseMicros >= roundTripMicros) {
                rate = Math.max(MIN_RATE, rate * parameters.aimdDecrease());
                tokens = Math.min(tokens, 1);
                lastDecreaseMicros = now;
            }
        }
        finishIfDone();
    }

    /** {@code rejectedByAttempts[a]} connections were rejected on attempt a + 1. */
    private void requeueOrFail(int[] rejectedByAttempts) {
        int last = waitingByAttempts.length - 1;
        for (int attempts = 0; attempts < last; attempts++) {
            int retries = rejectedByAttempts[attempts];
            if (retries > 0) {
                int made = attempts + 1;
                backingOff += retries;
                scheduler.after(latency.backoffMicros(parameters.retryBackoffMs(), made), () -> {
                    backingOff -= retries;
                    waitingByAttempts[made] += retries;
                    waiting += retries;
                });
            }
        }
        ledger.failed(rejectedByAttempts[last]);
    }

    private void finishIfDone() {
        if (waiting == 0 && inFlight == 0 && backingOff == 0) {
            finish();
        }
    }

    private void finish() {
        finished = true;
        done.run();
    }
}
