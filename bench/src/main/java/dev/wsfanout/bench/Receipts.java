package dev.wsfanout.bench;

import java.util.Arrays;

/**
 * What the real clients saw of one broadcast: the first receipt time of every client that got it
 * (epoch ms, sorted), how many clients never got it, and how many extra copies arrived.
 */
public record Receipts(long[] firstReceiptMillis, int missing, int duplicates) {

    public Receipts {
        firstReceiptMillis = firstReceiptMillis.clone();
        Arrays.sort(firstReceiptMillis);
    }

    public static final Receipts NONE = new Receipts(new long[0], 0, 0);

    public int received() {
        return firstReceiptMillis.length;
    }

    public long lastMillis() {
        return firstReceiptMillis.length == 0 ? -1 : firstReceiptMillis[firstReceiptMillis.length - 1];
    }

    /** Receipt latencies in ms after {@code startMillis}, sorted. */
    public long[] latenciesAfter(long startMillis) {
        return Arrays.stream(firstReceiptMillis).map(t -> t - startMillis).toArray();
    }

    public Receipts plus(Receipts other) {
        long[] both = Arrays.copyOf(firstReceiptMillis, firstReceiptMillis.length + other.firstReceiptMillis.length);
        System.arraycopy(other.firstReceiptMillis, 0, both, firstReceiptMillis.length, other.firstReceiptMillis.length);
        return new Receipts(both, missing + other.missing, duplicates + other.duplicates);
    }

    /** Parses the text after {@code RECEIPTS broadcastId } of a {@link ClientProcess} line. */
    static Receipts parse(String missing, String duplicates, String times) {
        long[] t = times.equals("-") ? new long[0] : Arrays.stream(times.split(",")).mapToLong(Long::parseLong).toArray();
        return new Receipts(t, Integer.parseInt(missing), Integer.parseInt(duplicates));
    }
}
