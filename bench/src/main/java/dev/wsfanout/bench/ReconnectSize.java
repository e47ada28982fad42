package dev.wsfanout.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * How big one reconnect run is ({@link ReconnectRun}).
 *
 * @param name              what the output calls it
 * @param clients           library clients in the Node fleet
 * @param ramp              they open over this long (the gateway admits 500 new connections a second)
 * @param lifetime          the gateway closes every connection this long after it opened: API Gateway's
 *                          2 hours, compressed so every client reconnects at least twice
 * @param streamDuration    broadcasts are started for this long
 * @param broadcastInterval one broadcast is started this often
 * @param partitions        PARTITION_COUNT: few, so a broadcast's fixed cost fits its interval on 2 cores
 */
public record ReconnectSize(String name, int clients, Duration ramp, Duration lifetime, Duration streamDuration,
                            Duration broadcastInterval, int partitions) {

    /** CI's size: about a minute and a half on the 2-core machine. */
    public static ReconnectSize small() {
        return new ReconnectSize("small", 500, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(50),
                Duration.ofSeconds(2), 20);
    }

    /**
     * The size, 5,000 clients, as far as 2 cores carry it. Locally every reconnect costs
     * about seven DynamoDB calls ($disconnect, $connect, the resume) on dynalite, and every post to
     * a connection that just closed answers 410 and costs its removal: a wave of closes during a
     * broadcast doubles the registry's writes. Past what dynalite serves, upgrades queue beyond the
     * clients' 15 s handshake timeout and the fleet collapses into retries (a lifetime of 150 s with
     * a broadcast every 5 s did). So the fleet opens over 100 s (50 a second), each connection
     * lives 200 s and a broadcast starts every 10 s: every client reconnects at least twice in the
     * 420 s stream (a real fleet of 600,000 on 2-hour connections reconnects about 80 times a second).
     */
    public static ReconnectSize full() {
        return new ReconnectSize("full", 5_000, Duration.ofSeconds(100), Duration.ofSeconds(200), Duration.ofSeconds(420),
                Duration.ofSeconds(10), 50);
    }

    public static ReconnectSize named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "small" -> small();
            case "full" -> full();
            default -> throw new IllegalArgumentException("--size must be small or full, was '" + name + "'");
        };
    }
}
