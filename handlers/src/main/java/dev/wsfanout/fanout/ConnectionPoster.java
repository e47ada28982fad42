package dev.wsfanout.fanout;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Posts one message to many connections through the @connections API: at most
 * {@code maxInFlight} calls outstanding, each started only when the {@link RateGovernor} allows.
 * Calls answered 429/5xx are retried inside the invocation a few times with backoff; what still
 * fails is returned as {@link PostOutcome#THROTTLED} or {@link PostOutcome#RETRYABLE} for the caller to re-enqueue. A connection
 * that got its message is never posted again by this class.
 */
public final class ConnectionPoster {

    /**
     * The most one PostToConnection call may take (the management client's apiCallTimeout). Far
     * below the SDK's 30 s default: a hung call must end while the invocation still has the time
     * to settle its chunk (see ChunkDelivery.settleReserveMillis).
     */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    private static final int IN_INVOCATION_ATTEMPTS = 3;
    private static final long FIRST_BACKOFF_MILLIS = 100;

    private final ApiGatewayManagementApiAsyncClient api;
    private final RateGovernor governor;
    private final Semaphore slots;

    /** The result of posting to a set of connections. */
    public record Result(Map<String, PostOutcome> outcomes, Map<String, String> reasons, int attempts) {
        public List<String> idsWith(PostOutcome outcome) {
            List<String> ids = new ArrayList<>();
            outcomes.forEach((id, o) -> {
                if (o == outcome) {
                    ids.add(id);
                }
            });
            return ids;
        }

        public long count(PostOutcome outcome) {
            return outcomes.values().stream().filter(o -> o == outcome).count();
        }
    }

    public ConnectionPoster(ApiGatewayManagementApiAsyncClient api, RateGovernor governor, int maxInFlight) {
        this.api = api;
        this.governor = governor;
        // Shared by every chunk this poster works on at once: the bound is per invocation.
        this.slots = new Semaphore(maxInFlight);
    }

    /**
     * Posts {@code data} to every id, starting no call after {@code deadlineNanos} (a
     * {@link System#nanoTime()} instant): ids not reached by then come back
     * {@link PostOutcome#NOT_ATTEMPTED}, so an invocation running out of time hands them on instead
     * of being killed halfway, which would post its chunk again from the start.
     */
    public Result post(List<String> connectionIds, SdkBytes data, long deadlineNanos) {
        Map<String, PostOutcome> outcomes = new ConcurrentHashMap<>();
        Map<String, String> reasons = new ConcurrentHashMap<>();
        List<String> todo = connectionIds;
        int attempt = 0;
        while (!todo.isEmpty() && attempt < IN_INVOCATION_ATTEMPTS) {
            if (attempt > 0) {
                long backoff = TimeUnit.MILLISECONDS.toNanos(FIRST_BACKOFF_MILLIS << (attempt - 1));
                if (System.nanoTime() + backoff > deadlineNanos) {
                    break;
                }
                LockSupport.parkNanos(backoff);
            }
            attempt++;
            postRound(todo, data, outcomes, reasons, deadlineNanos);
            todo = todo.stream().filter(id -> outcomes.get(id) == PostOutcome.RETRYABLE
                    || outcomes.get(id) == PostOutcome.THROTTLED).toList();
        }
        Map<String, PostOutcome> ordered = new LinkedHashMap<>();
        for (String id : connectionIds) {
            ordered.put(id, outcomes.get(id));
        }
        return new Result(ordered, Map.copyOf(reasons), attempt);
    }

    private void postRound(List<String> ids, SdkBytes data, Map<String, PostOutcome> outcomes, Map<String, String> reasons,
                           long deadlineNanos) {
        List<CompletableFuture<Void>> calls = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (System.nanoTime() >= deadlineNanos) {
                // An id tried in an earlier round keeps the outcome of that try.
                outcomes.putIfAbsent(id, PostOutcome.NOT_ATTEMPTED);
                continue;
            }
            slots.acquireUninterruptibly();
            long wait = governor.reserve();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            CompletableFuture<Void> call;
            try {
                call = api.postToConnection(r -> r.connectionId(id).data(data))
                        .handle((ok, error) -> {
                            PostOutcome outcome = classify(error);
                            outcomes.put(id, outcome);
                            if (outcome == PostOutcome.DELIVERED) {
                                governor.onSuccess();
                                reasons.remove(id);
                            } else {
                                reasons.put(id, describe(error));
                            }
                            return null;
                        });
            } catch (RuntimeException e) {
                outcomes.put(id, PostOutcome.RETRYABLE);
                reasons.put(id, e.toString());
                call = CompletableFuture.completedFuture(null);
            }
            calls.add(call.whenComplete((v, e) -> slots.release()));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
    }

    private PostOutcome classify(Throwable error) {
        if (error == null) {
            return PostOutcome.DELIVERED;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof GoneException) {
            return PostOutcome.GONE;
        }
        if (cause instanceof LimitExceededException) {
            governor.onThrottled();
            return PostOutcome.THROTTLED;
        }
        if (cause instanceof AwsServiceException service) {
            int status = service.statusCode();
            if (status == 429) {
                governor.onThrottled();
                return PostOutcome.THROTTLED;
            }
            return status >= 500 ? PostOutcome.RETRYABLE : PostOutcome.REJECTED;
        }
        // No HTTP answer at all (connection reset, timeout): the post may be retried safely.
        return PostOutcome.RETRYABLE;
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof AwsServiceException service) {
            return service.statusCode() + " " + service.awsErrorDetails().errorCode();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

}
