package dev.wsfanout.local.faults;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The DynamoDB limits a {@link FaultProxy} enforces in front of dynalite, each with its own switch:
 * <ul>
 *   <li>{@code throughput}: per partition key value (table or index, and the key's value), at most
 *       {@value #AWS_WRITE_UNITS_PER_SECOND} write and {@value #AWS_READ_UNITS_PER_SECOND} read units a second,
 *       units charged by item size as AWS charges them; a request to a key with no capacity left gets 400
 *       {@code ProvisionedThroughputExceededException} (a batch gets its throttled entries back unprocessed);</li>
 *   <li>{@code itemSize}: items of PutItem and BatchWriteItem at most {@value #AWS_MAX_ITEM_BYTES} bytes, measured
 *       as AWS measures them (UTF-8);</li>
 *   <li>{@code batchSize}: at most {@value #AWS_MAX_BATCH_WRITE} requests in one BatchWriteItem over all its tables.</li>
 * </ul>
 * What dynalite already refuses the AWS way (a single table's list over 25 or 100, more than 100 keys in a
 * BatchGetItem, UpdateItem results over 400 KB) it keeps refusing whatever the switches say. See
 * docs/fault-proxy.md, "Limits".
 *
 * @param writeUnitsPerSecond the refill rate of each key's write bucket
 * @param readUnitsPerSecond  the refill rate of each key's read bucket
 * @param burstSeconds        a bucket holds this many seconds of its rate (1: a key idle for a second can take
 *                            1,000 WCU at once, then 1,000 a second)
 * @param nanoTime            the buckets' clock; tests step it by hand
 * @param region              for the table ARN in {@code ThrottlingReasons}
 * @param account             likewise
 */
public record DynamoDbLimits(boolean throughput, boolean itemSize, boolean batchSize, double writeUnitsPerSecond,
                             double readUnitsPerSecond, double burstSeconds, LongSupplier nanoTime, String region,
                             String account) {

    public static final int AWS_WRITE_UNITS_PER_SECOND = 1_000;
    public static final int AWS_READ_UNITS_PER_SECOND = 3_000;
    /** 400 KB, DynamoDB's KB being 1,024 bytes. */
    public static final int AWS_MAX_ITEM_BYTES = 400 * 1024;
    public static final int AWS_MAX_BATCH_WRITE = 25;

    public DynamoDbLimits {
        Objects.requireNonNull(nanoTime, "nanoTime");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(account, "account");
        if (!(writeUnitsPerSecond > 0) || !(readUnitsPerSecond > 0) || !(burstSeconds > 0)) {
            throw new IllegalArgumentException("rates and burst must be positive, were " + writeUnitsPerSecond + " WCU/s, "
                    + readUnitsPerSecond + " RCU/s, " + burstSeconds + " s");
        }
    }

    /** Every limit on, at AWS's numbers, on the system clock. */
    public static DynamoDbLimits aws() {
        return new DynamoDbLimits(true, true, true, AWS_WRITE_UNITS_PER_SECOND, AWS_READ_UNITS_PER_SECOND, 1.0,
                System::nanoTime, "us-east-1", "000000000000");
    }

    /** Nothing enforced: the proxy forwards DynamoDB calls as it did before limits existed. */
    public static DynamoDbLimits off() {
        return aws().withThroughput(false).withItemSize(false).withBatchSize(false);
    }

    public boolean any() {
        return throughput || itemSize || batchSize;
    }

    public DynamoDbLimits withThroughput(boolean on) {
        return new DynamoDbLimits(on, itemSize, batchSize, writeUnitsPerSecond, readUnitsPerSecond, burstSeconds, nanoTime, region, account);
    }

    public DynamoDbLimits withItemSize(boolean on) {
        return new DynamoDbLimits(throughput, on, batchSize, writeUnitsPerSecond, readUnitsPerSecond, burstSeconds, nanoTime, region, account);
    }

    public DynamoDbLimits withBatchSize(boolean on) {
        return new DynamoDbLimits(throughput, itemSize, on, writeUnitsPerSecond, readUnitsPerSecond, burstSeconds, nanoTime, region, account);
    }

    public DynamoDbLimits withClock(LongSupplier nanos) {
        return new DynamoDbLimits(throughput, itemSize, batchSize, writeUnitsPerSecond, readUnitsPerSecond, burstSeconds, nanos, region, account);
    }

    public DynamoDbLimits withBurstSeconds(double seconds) {
        return new DynamoDbLimits(throughput, itemSize, batchSize, writeUnitsPerSecond, readUnitsPerSecond, seconds, nanoTime, region, account);
    }

    public DynamoDbLimits withAccount(String regionName, String accountId) {
        return new DynamoDbLimits(throughput, itemSize, batchSize, writeUnitsPerSecond, readUnitsPerSecond, burstSeconds, nanoTime, regionName, accountId);
    }
}
