package dev.wsfanout.cli;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How many demo clients this process can hold. Every client costs two open files here, its own
 * socket and the gateway's side of it, and the stack itself needs about a thousand more (dynalite
 * pipes, ElasticMQ, HTTP pools, jars).
 */
public final class ClientLimit {

    static final long RESERVED_FILES = 1000;

    private ClientLimit() {
    }

    /** The open-file limit of this JVM (ulimit -n), or -1 where the platform does not say. */
    public static long openFileLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }

    public static long maxClients(long openFileLimit) {
        return Math.max(0, (openFileLimit - RESERVED_FILES) / 2);
    }

    /** @throws CliException if {@code clients} would run this process out of file descriptors */
    public static void require(int clients, long openFileLimit) {
        if (clients < 1) {
            throw new CliException(CliException.REFUSED, "--clients must be at least 1, got " + clients);
        }
        if (openFileLimit < 0) {
            return;
        }
        long max = maxClients(openFileLimit);
        if (clients > max) {
            throw new CliException(CliException.REFUSED, String.format(Locale.ROOT,
                    "--clients %,d is too many for this process: each client needs 2 open files (its socket and the "
                            + "gateway's side), the open-file limit (ulimit -n) is %,d and the stack keeps %,d, so at most "
                            + "%,d clients fit; raise the limit (ulimit -n) or use fewer clients",
                    clients, openFileLimit, RESERVED_FILES, max));
        }
    }
}
