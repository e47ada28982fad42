package dev.wsfanout.local.gateway;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for something asynchronous to become true, failing with a description if it does not in time. */
final class Eventually {

    private static final long TIMEOUT_MILLIS = 15_000;

    private Eventually() {
    }

    static void until(BooleanSupplier condition, Supplier<String> failure) {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(failure.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + failure.get());
            }
        }
    }
}
