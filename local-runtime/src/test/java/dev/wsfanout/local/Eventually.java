package dev.wsfanout.local;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How the local runtime's tests wait for asynchronous work: polls a condition until it holds and
 * fails with what it waited for. A wait bounds a condition, never a time to let pass.
 */
public final class Eventually {

    /** Generous for a shared 2-core machine; a condition that holds returns at once. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 5;

    private Eventually() {
    }

    /** Waits up to {@link #DEFAULT_TIMEOUT}; {@code failure} says what was wrong when it did not happen. */
    public static void until(BooleanSupplier condition, Supplier<String> failure) {
        until(condition, DEFAULT_TIMEOUT, failure);
    }

    /** Waits up to {@code timeout} for {@code what}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(condition, timeout, () -> "timed out after " + timeout + " waiting for " + what);
    }

    private static void until(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + failure.get(), e);
            }
        }
    }
}
