package dev.wsfanout.local.faults;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One read and one write token bucket per partition key value of each table and global index. A bucket
 * starts full ({@code burstSeconds} of its rate) and refills continuously at its rate; a request is
 * throttled when its key's bucket has nothing left ({@link #exhausted}), and what it consumed is charged
 * once its answer is known ({@link #charge}), so one big item can take a bucket below zero and the key then
 * waits until the refill brings it back above. A key never seen, or idle long enough to be full again, has no
 * bucket object: the check of an unknown key allocates nothing, and full buckets are swept out when many
 * accumulate.
 */
final class KeyBuckets {

    enum Kind {
        READ, WRITE
    }

    /** A partition: table, global index (null = the table's own partitions) and the key's value, e.g. {@code S:abc}. */
    record Key(String table, String index, String value) {
    }

    private static final int SWEEP_EVERY = 50_000;

    private final double readRate;
    private final double writeRate;
    private final double readCapacity;
    private final double writeCapacity;
    private final LongSupplier clock;
    private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();

    KeyBuckets(DynamoDbLimits limits) {
        this.readRate = limits.readUnitsPerSecond();
        this.writeRate = limits.writeUnitsPerSecond();
        this.readCapacity = readRate * limits.burstSeconds();
        this.writeCapacity = writeRate * limits.burstSeconds();
        this.clock = limits.nanoTime();
    }

    boolean exhausted(Key key, Kind kind) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return false;
        }
        synchronized (bucket) {
            bucket.refill(clock.getAsLong());
            return (kind == Kind.READ ? bucket.read : bucket.write) <= 0;
        }
    }

    void charge(Key key, Kind kind, double units) {
        if (units <= 0) {
            return;
        }
        while (true) {
            Bucket bucket = buckets.get(key);
            if (bucket == null) {
                bucket = buckets.computeIfAbsent(key, k -> new Bucket(clock.getAsLong()));
                if (created.incrementAndGet() % SWEEP_EVERY == 0) {
                    sweep();
                }
            }
            synchronized (bucket) {
                if (bucket.swept) {
                    continue; // a sweep dropped it between the lookup and the lock: charge its successor
                }
                bucket.refill(clock.getAsLong());
                if (kind == Kind.READ) {
                    bucket.read -= units;
                } else {
                    bucket.write -= units;
                }
                return;
            }
        }
    }

    /** What {@code key}'s bucket holds now (full when it has none), for tests and diagnostics. */
    double balance(Key key, Kind kind) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return kind == Kind.READ ? readCapacity : writeCapacity;
        }
        synchronized (bucket) {
            bucket.refill(clock.getAsLong());
            return kind == Kind.READ ? bucket.read : bucket.write;
        }
    }

    int size() {
        return buckets.size();
    }

    /** Drops the buckets that are full again: they behave exactly as a missing one. */
    private void sweep() {
        long now = clock.getAsLong();
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                bucket.refill(now);
                bucket.swept = bucket.read >= readCapacity && bucket.write >= writeCapacity;
                return bucket.swept;
            }
        });
    }

    private final class Bucket {
        double read = readCapacity;
        double write = writeCapacity;
        long last;
        boolean swept;

        Bucket(long now) {
            last = now;
        }

        void refill(long now) {
            long elapsed = now - last;
            if (elapsed <= 0) {
                return;
            }
            last = now;
            double seconds = elapsed / 1e9;
            read = Math.min(readCapacity, read + readRate * seconds);
            write = Math.min(writeCapacity, write + writeRate * seconds);
        }
    }
}
