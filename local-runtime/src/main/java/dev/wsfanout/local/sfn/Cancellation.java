package dev.wsfanout.local.sfn;

/**
 * Stops a path of an execution: the whole execution (StopExecution, timeout) or one set of
 * Parallel branches / Map iterations once one of them failed. A path checks it between states and
 * while it waits.
 */
final class Cancellation {

    /** Thrown on a path that was cancelled; it unwinds the path without recording anything more. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private final Cancellation parent;
    private volatile boolean cancelled;

    private Cancellation(Cancellation parent) {
        this.parent = parent;
    }

    static Cancellation root() {
        return new Cancellation(null);
    }

    Cancellation child() {
        return new Cancellation(this);
    }

    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled || parent != null && parent.isCancelled();
    }

    void check() {
        if (isCancelled()) {
            throw new Cancelled();
        }
    }

    /** Sleeps {@code realNanos} of wall-clock time, waking early (with {@link Cancelled}) when cancelled. */
    void sleep(long realNanos) {
        long deadline = System.nanoTime() + realNanos;
        while (true) {
            check();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(remaining / 1_000_000, 20)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancelled();
            }
        }
    }
}
