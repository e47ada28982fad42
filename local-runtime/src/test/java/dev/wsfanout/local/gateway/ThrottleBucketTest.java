package dev.wsfanout.local.gateway;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrottleBucketTest {

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void allowsTheBurstThenTheSteadyRate() {
        ThrottleBucket bucket = new ThrottleBucket(10, 3, nanos::get);

        assertTrue(bucket.tryAcquire());
        assertTrue(bucket.tryAcquire());
        assertTrue(bucket.tryAcquire());
        assertFalse(bucket.tryAcquire(), "burst spent");

        nanos.addAndGet(100_000_000);
        assertTrue(bucket.tryAcquire(), "one token refilled after 100 ms at 10/s");
        assertFalse(bucket.tryAcquire());
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        ThrottleBucket bucket = new ThrottleBucket(1000, 2, nanos::get);
        nanos.addAndGet(60_000_000_000L);

        assertTrue(bucket.tryAcquire());
        assertTrue(bucket.tryAcquire());
        assertFalse(bucket.tryAcquire());
    }

    @Test
    void unlimitedNeverRefuses() {
        ThrottleBucket bucket = ThrottleBucket.unlimited();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(bucket.tryAcquire());
        }
    }

    @Test
    void rejectsNonsense() {
        assertEquals("rate limit: perSecond must be a positive number, was 0.0",
                assertThrows(IllegalArgumentException.class, () -> new ThrottleBucket(0, 1, nanos::get)).getMessage());
        assertEquals("rate limit: burst must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> new ThrottleBucket(5, 0, nanos::get)).getMessage());
    }
}
