package dev.wsfanout.fanout;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateGovernorTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void pacesCallsAtTheConfiguredRateAfterItsSmallBurst() {
        RateGovernor governor = new RateGovernor(1000, now::get);
        int immediate = 0;
        while (governor.reserve() == 0) {
            immediate++;
        }
        assertEquals(100, immediate, "a tenth of a second's worth may go at once");
        long wait = governor.reserve();
        assertEquals(TimeUnit.MILLISECONDS.toNanos(2), wait, 100_000, "each further call waits 1/rate more");
    }

    @Test
    void halvesOnThrottlingAtMostOncePerInterval() {
        RateGovernor governor = new RateGovernor(1000, now::get);
        governor.onThrottled();
        governor.onThrottled();
        governor.onThrottled();
        assertEquals(500, governor.currentRate(), 1e-9, "a burst of 429s is one signal");
        advanceMillis(100);
        governor.onThrottled();
        assertEquals(250, governor.currentRate(), 1e-9);
        for (int i = 0; i < 20; i++) {
            advanceMillis(100);
            governor.onThrottled();
        }
        assertEquals(100, governor.currentRate(), 1e-9, "never below 10% of the ceiling");
    }

    @Test
    void climbsBackAdditivelyPerIntervalNotPerSuccess() {
        RateGovernor governor = new RateGovernor(1000, now::get);
        governor.onThrottled();
        for (int i = 0; i < 10_000; i++) {
            governor.onSuccess();
        }
        assertEquals(500, governor.currentRate(), 1e-9, "successes within one interval do not raise the rate");
        advanceMillis(100);
        governor.onSuccess();
        governor.onSuccess();
        assertEquals(500 + 900 / 50.0, governor.currentRate(), 1e-9, "one step per interval");
        for (int i = 0; i < 100; i++) {
            advanceMillis(100);
            governor.onSuccess();
        }
        assertEquals(1000, governor.currentRate(), 1e-9, "never above the configured share");
        assertTrue(governor.reserve() >= 0);
    }
}
