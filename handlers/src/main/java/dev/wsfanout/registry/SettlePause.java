package dev.wsfanout.registry;

import java.time.Duration;

/**
 * The sweeper's wait between its scan and its repairs, for writes already under way to land. On
 * Lambda it sleeps; a test supplies one that makes those writes land, so it need not race a clock.
 */
@FunctionalInterface
public interface SettlePause {

    /** Sleeps for the whole duration (an interrupt ends it early and is kept). */
    SettlePause SLEEP = duration -> {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    void settle(Duration duration);
}
