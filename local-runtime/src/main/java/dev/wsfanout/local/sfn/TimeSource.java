package dev.wsfanout.local.sfn;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock executions see. {@link #system()} runs in real time, so a Wait of 60 seconds takes 60
 * seconds; {@link #accelerated(double)} makes simulated time run {@code speed} times faster, for
 * tests with Wait states and retry back-off. Timestamps in histories and the context object come
 * from {@link #now()}.
 */
public final class TimeSource {

    private final double speed;
    private final Instant origin;
    private final long originNanos;

    private TimeSource(double speed) {
        if (!(speed >= 1.0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a finite number >= 1, was " + speed);
        }
        this.speed = speed;
        this.origin = Instant.now();
        this.originNanos = System.nanoTime();
    }

    public static TimeSource system() {
        return new TimeSource(1.0);
    }

    /** Simulated time runs {@code speed} times faster than the wall clock (e.g. 1000: a 60 s Wait takes 60 ms). */
    public static TimeSource accelerated(double speed) {
        return new TimeSource(speed);
    }

    public Instant now() {
        if (speed == 1.0) {
            return Instant.now();
        }
        long elapsed = (long) ((System.nanoTime() - originNanos) * speed);
        return origin.plusNanos(elapsed);
    }

    /** How long a simulated duration lasts on the wall clock, in nanoseconds. */
    long realNanos(Duration simulated) {
        return (long) (simulated.toNanos() / speed);
    }
}
