package dev.wsfanout.bench;

/**
 * Which broadcasts a set of long-lived real clients missed: the registry soak's delivery check.
 * Only clients still open at the end count ({@code open}); one that closed on its own
 * ({@code closed}) was not connected throughout and is promised nothing.
 *
 * @param open            clients open at the end
 * @param closed          clients closed although nothing closed them
 * @param missedPairs     (client, broadcast) pairs without a copy, over the open clients
 * @param clientsWithMiss open clients that missed at least one broadcast
 */
record MissedBroadcasts(int open, int closed, long missedPairs, int clientsWithMiss) {

    static final MissedBroadcasts NONE = new MissedBroadcasts(0, 0, 0, 0);

    MissedBroadcasts plus(MissedBroadcasts other) {
        return new MissedBroadcasts(open + other.open, closed + other.closed, missedPairs + other.missedPairs,
                clientsWithMiss + other.clientsWithMiss);
    }

    /** The words after the kind, as {@link ClientProcess} writes them: {@code open closed missedPairs clientsWithMiss}. */
    String words() {
        return open + " " + closed + " " + missedPairs + " " + clientsWithMiss;
    }

    /** Parses a whole {@code MISSED open closed missedPairs clientsWithMiss} line. */
    static MissedBroadcasts parse(String line) {
        String[] w = line.split(" ");
        if (w.length != 5) {
            throw new IllegalStateException("malformed answer from a client JVM: " + line);
        }
        return new MissedBroadcasts(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Long.parseLong(w[3]), Integer.parseInt(w[4]));
    }
}
