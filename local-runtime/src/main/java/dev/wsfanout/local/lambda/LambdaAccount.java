package dev.wsfanout.local.lambda;

/**
 * The Region's Lambda concurrency of one account, shared by every {@link LocalFunction} that
 * {@linkplain LocalFunction#inAccount joined} it: AWS gives an account 1,000 concurrent executions
 * per Region by default (new accounts start lower), and every function without reserved
 * concurrency draws on that one pool.
 *
 * <p>What happens at the limit depends on who invokes, as on AWS: a synchronous
 * {@link LocalFunction#invoke invoke} is throttled at once ({@link LambdaThrottleException},
 * Lambda's 429 TooManyRequestsException, Reason {@code ConcurrentInvocationLimitExceeded}); an
 * event-source mapping does not scale further: its pollers wait for {@link #awaitHeadroom headroom}
 * before they receive, and its invocations wait for a free slot
 * ({@link LocalFunction#invokeFromEventSource}). Thread-safe.
 */
public final class LambdaAccount {

    /** Lambda's default concurrent executions per account per Region (adjustable; new accounts get less). */
    public static final int AWS_DEFAULT_CONCURRENCY = 1_000;

    private final int limit;
    private int inUse;
    private int peak;
    private long throttles;

    /** An account that allows {@code concurrency} executions at once across all its functions. */
    public LambdaAccount(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("Lambda account concurrency must be >= 1, was " + concurrency);
        }
        this.limit = concurrency;
    }

    private LambdaAccount() {
        this.limit = Integer.MAX_VALUE;
    }

    /** AWS's default: {@value #AWS_DEFAULT_CONCURRENCY} concurrent executions. */
    public static LambdaAccount awsDefault() {
        return new LambdaAccount(AWS_DEFAULT_CONCURRENCY);
    }

    /** No account limit (each function is bounded only by its own concurrency): for benchmarks that say so. */
    public static LambdaAccount unlimited() {
        return new LambdaAccount();
    }

    public boolean isUnlimited() {
        return limit == Integer.MAX_VALUE;
    }

    /** The concurrency limit; {@link Integer#MAX_VALUE} when unlimited. */
    public int limit() {
        return limit;
    }

    /** Executions running now, all functions together. */
    public synchronized int inUse() {
        return inUse;
    }

    /** The most executions that ran at once so far. */
    public synchronized int peak() {
        return peak;
    }

    /** Synchronous invocations refused because the account was at its limit. */
    public synchronized long throttles() {
        return throttles;
    }

    /** Takes a slot if one is free; counts a throttle otherwise. */
    synchronized boolean tryAcquire() {
        if (inUse >= limit) {
            throttles++;
            return false;
        }
        take();
        return true;
    }

    /** Takes a slot, waiting for one to be released if need be. */
    synchronized void acquire() throws InterruptedException {
        while (inUse >= limit) {
            wait();
        }
        take();
    }

    /**
     * Waits until at least one slot is free, without taking it: what a poller of an event-source
     * mapping does before it receives, so that no batch is received the account could not run.
     */
    public synchronized void awaitHeadroom() throws InterruptedException {
        while (inUse >= limit) {
            wait();
        }
    }

    synchronized void release() {
        inUse--;
        notifyAll();
    }

    private void take() {
        inUse++;
        peak = Math.max(peak, inUse);
    }

    @Override
    public String toString() {
        return isUnlimited() ? "LambdaAccount[unlimited]" : "LambdaAccount[" + limit + "]";
    }
}
