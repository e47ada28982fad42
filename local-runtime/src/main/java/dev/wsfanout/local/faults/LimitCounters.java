package dev.wsfanout.local.faults;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * What a {@link FaultProxy}'s DynamoDB limits refused since it started: requests throttled by a key's
 * throughput, per table (or {@code table/index}) and read or write; batch entries handed back unprocessed for
 * the same reason; and requests refused for item or batch size. Also which keys were throttled, so a run can
 * name its hot key. Thread-safe; each count is exact, a set of counts read while requests flow is not a snapshot.
 */
public final class LimitCounters {

    /** What a limit refuses. */
    public enum Refusal {
        /** a whole request: 400 ProvisionedThroughputExceededException */
        THROTTLED,
        /** one entry of a BatchGetItem/BatchWriteItem, returned in UnprocessedKeys/UnprocessedItems */
        UNPROCESSED,
        /** 400 ValidationException, item over 400 KB */
        ITEM_TOO_LARGE,
        /** 400 ValidationException, BatchWriteItem over 25 requests */
        BATCH_TOO_LARGE
    }

    /** @param resource the table, or {@code table/index} for a global secondary index */
    public record Throttle(String resource, boolean write) {
        @Override
        public String toString() {
            return resource + (write ? " write" : " read");
        }
    }

    /** A throttled key: resource, and the key's value as {@code S:abc} / {@code N:12}. */
    public record HotKey(String resource, String key) {
    }

    /** Beyond this many distinct throttled keys, further ones are counted per resource only. */
    private static final int MAX_KEYS = 10_000;

    private final Map<Refusal, LongAdder> byRefusal = new EnumMap<>(Refusal.class);
    private final Map<Throttle, LongAdder> byResource = new ConcurrentHashMap<>();
    private final Map<HotKey, LongAdder> byKey = new ConcurrentHashMap<>();

    LimitCounters() {
        for (Refusal refusal : Refusal.values()) {
            byRefusal.put(refusal, new LongAdder());
        }
    }

    /** Counters that stay at zero: what a stack without limits reports. */
    public static LimitCounters none() {
        return new LimitCounters();
    }

    public long count(Refusal refusal) {
        return byRefusal.get(refusal).sum();
    }

    /** Requests throttled whole, plus batch entries returned unprocessed: everything a per-key limit held back. */
    public long throttled() {
        return count(Refusal.THROTTLED) + count(Refusal.UNPROCESSED);
    }

    /** Everything held back on {@code resource} (a table, or {@code table/index}), reads and writes. */
    public long throttled(String resource) {
        return byResource.entrySet().stream().filter(e -> e.getKey().resource().equals(resource))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    public long throttled(String resource, boolean write) {
        LongAdder adder = byResource.get(new Throttle(resource, write));
        return adder == null ? 0 : adder.sum();
    }

    /** The most throttled keys, most first. */
    public List<Map.Entry<HotKey, Long>> hottest(int n) {
        return byKey.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<HotKey, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(n)
                .toList();
    }

    /**
     * E.g. {@code throttled by per-key limit: 12} then one line per table and kind with its hottest key, then
     * the size refusals.
     */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("throttled by per-key limit: %d (%d requests, %d batch entries unprocessed)",
                throttled(), count(Refusal.THROTTLED), count(Refusal.UNPROCESSED)));
        byResource.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Throttle::toString)))
                .forEach(e -> {
                    out.append(String.format("%n  %-40s %d", e.getKey(), e.getValue().sum()));
                    hottest(byKey.size()).stream().filter(k -> k.getKey().resource().equals(e.getKey().resource())).findFirst()
                            .ifPresent(k -> out.append("  hottest key ").append(k.getKey().key()).append(": ").append(k.getValue()));
                });
        out.append(String.format("%nrefused, item over 400 KB: %d", count(Refusal.ITEM_TOO_LARGE)));
        out.append(String.format("%nrefused, batch over 25 writes: %d", count(Refusal.BATCH_TOO_LARGE)));
        return out.toString();
    }

    @Override
    public String toString() {
        return byRefusal.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().sum())
                .collect(Collectors.joining(", ", "LimitCounters[", "]"));
    }

    void recordThrottled(KeyBuckets.Key key, KeyBuckets.Kind kind, boolean wholeRequest) {
        byRefusal.get(wholeRequest ? Refusal.THROTTLED : Refusal.UNPROCESSED).increment();
        String resource = key.index() == null ? key.table() : key.table() + "/" + key.index();
        byResource.computeIfAbsent(new Throttle(resource, kind == KeyBuckets.Kind.WRITE), t -> new LongAdder()).increment();
        HotKey hot = new HotKey(resource, key.value());
        LongAdder adder = byKey.get(hot);
        if (adder == null && byKey.size() < MAX_KEYS) {
            adder = byKey.computeIfAbsent(hot, k -> new LongAdder());
        }
        if (adder != null) {
            adder.increment();
        }
    }

    void recordRefused(Refusal refusal) {
        byRefusal.get(refusal).increment();
    }
}
