package dev.wsfanout.local.sqs;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition the way a test waits for asynchronous work, failing with what it waited for. */
final class WaitFor {

    private static final long POLL_MILLIS = 20;

    private WaitFor() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
