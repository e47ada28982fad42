package dev.wsfanout.registry;

import dev.wsfanout.fanout.RateGovernor;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Asks API Gateway whether a connection is still open ({@code GET @connections/{id}}): the only
 * authority on it, since $disconnect is best-effort and a refused $connect can leave a row. Calls
 * are paced so a sweep never takes more than its share of the account's API rate from a broadcast
 * running at the same time, and a 429 slows the pace as it does for posts.
 */
public final class ConnectionProbe {

    /** What GetConnection said. */
    public enum Liveness {
        OPEN,
        /** 410: API Gateway has no such open connection. */
        GONE,
        /** Throttled, a server error, no answer: nothing is concluded. */
        UNKNOWN
    }

    private final ApiGatewayManagementApiAsyncClient api;
    private final RateGovernor governor;
    private final Semaphore inFlight;
    private final int maxInFlight;

    public ConnectionProbe(ApiGatewayManagementApiAsyncClient api, double ratePerSecond, int maxInFlight) {
        this.api = api;
        this.governor = new RateGovernor(ratePerSecond);
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * Waits for a token and a free slot, then asks; {@code onAnswer} runs before the slot is
     * freed, so {@link #awaitIdle} also waits for what the caller does with each answer.
     */
    public void probe(String connectionId, Consumer<Liveness> onAnswer) {
        long waitNanos = governor.reserve();
        if (waitNanos > 0) {
            LockSupport.parkNanos(waitNanos);
        }
        inFlight.acquireUninterruptibly();
        try {
            api.getConnection(r -> r.connectionId(connectionId)).whenComplete((ok, error) -> {
                try {
                    onAnswer.accept(livenessOf(error));
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException refused) {
            try {
                onAnswer.accept(Liveness.UNKNOWN);
            } finally {
                inFlight.release();
            }
        }
    }

    private Liveness livenessOf(Throwable error) {
        if (error == null) {
            governor.onSuccess();
            return Liveness.OPEN;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof GoneException) {
            return Liveness.GONE;
        }
        if (cause instanceof AwsServiceException service && service.statusCode() == 429) {
            governor.onThrottled();
        }
        return Liveness.UNKNOWN;
    }

    /** Waits until every probe started has answered (and its callbacks have run). */
    public void awaitIdle() {
        inFlight.acquireUninterruptibly(maxInFlight);
        inFlight.release(maxInFlight);
    }
}
