package dev.wsfanout.registry;

import dev.wsfanout.aws.DynamoValues;
import dev.wsfanout.model.Connection;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Keeps the registry honest, in one consistent scan of the connections table:
 * <ol>
 *   <li>deletes rows whose {@code expiresAt} has passed: API Gateway closed them at 2 h and their
 *       $disconnect never arrived (DynamoDB's own TTL may take days);</li>
 *   <li>asks API Gateway about every other row older than {@link ConnectionRegistry#CONNECTING_GRACE}
 *       ({@link ConnectionProbe}) and removes those it answers 410 for: a lost $disconnect, or a
 *       $connect refused after its row landed;</li>
 *   <li>recounts every partition from the rows the scan saw and repairs the counts that differ.
 *       A count that moved while the scan ran cannot be judged from it, so each repair is
 *       conditional on the partition's {@code countChanges} being what it was before the scan
 *       (plus the sweep's own changes): a partition that was busy keeps its count until the next
 *       sweep. The settle pause lets the count update of a row the scan has already seen land
 *       first; $connect bounds its writes within its function timeout, so a settle of that
 *       length covers it.</li>
 * </ol>
 */
public final class StaleConnectionSweeper {

    /** $connect's writes end within its timeout (10 s in the stack): see ConnectHandler. */
    public static final Duration DEFAULT_SETTLE = ConnectionRegistry.CONNECTING_GRACE;

    private final DynamoDbClient dynamo;
    private final FanoutConfig config;
    private final Clock clock;
    private final ConnectionProbe probe;
    private final Duration settle;
    private final SettlePause pause;
    private final RegistryReader reader;
    private final ConnectionRegistry registry;

    /**
     * @param probe  asks API Gateway about each row; null for a sweep that only expires and recounts
     * @param settle the pause between the scan and the repairs
     */
    public StaleConnectionSweeper(DynamoDbClient dynamo, FanoutConfig config, Clock clock, ConnectionProbe probe, Duration settle) {
        this(dynamo, config, clock, probe, settle, SettlePause.SLEEP);
    }

    /** As the other constructor, with {@code pause} doing the settle wait. */
    public StaleConnectionSweeper(DynamoDbClient dynamo, FanoutConfig config, Clock clock, ConnectionProbe probe, Duration settle,
                                  SettlePause pause) {
        this.pause = pause;
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
        this.probe = probe;
        this.settle = settle;
        this.reader = new RegistryReader(dynamo, config);
        this.registry = new ConnectionRegistry(dynamo, config, clock);
    }

    /**
     * What one sweep did.
     *
     * @param rows              rows left after the sweep, as the scan counted them
     * @param probed            rows GetConnection was asked about
     * @param goneRemoved       rows removed because API Gateway answered 410
     * @param probesInconclusive probes answered with a throttle, an error or nothing
     * @param partitionsBusy    partitions whose count moved during the sweep and was left for the next one
     */
    public record SweepReport(long rows, long expiredRemoved, long probed, long goneRemoved, long probesInconclusive,
                              int partitionsChecked, int partitionsRepaired, int partitionsBusy, List<Repair> repairs) {
        public SweepReport {
            repairs = List.copyOf(repairs);
        }
    }

    /** One repaired partition: the count it held and the count of its rows. */
    public record Repair(int partitionId, long was, long now) {
    }

    /** A whole sweep, probing every row old enough. */
    public SweepReport sweep() {
        return sweep(Instant.MAX);
    }

    /**
     * A sweep that starts no probe after {@code probeDeadline} (a Lambda running out of time):
     * rows seen later are still counted, and the next sweep probes them.
     */
    public SweepReport sweep(Instant probeDeadline) {
        RegistryReader.PartitionCounts before = reader.partitionCounts();
        int n = config.partitionCount();
        AtomicLongArray rows = new AtomicLongArray(n + 1);
        AtomicLongArray ownChanges = new AtomicLongArray(n + 1);
        AtomicLong expired = new AtomicLong();
        AtomicLong probed = new AtomicLong();
        AtomicLong gone = new AtomicLong();
        AtomicLong inconclusive = new AtomicLong();
        long nowSeconds = clock.instant().getEpochSecond();
        long youngAfter = clock.millis() - ConnectionRegistry.CONNECTING_GRACE.toMillis();
        reader.forEachRow(row -> {
            if (row.partitionId() < 1 || row.partitionId() > n) {
                return;
            }
            if (row.expiresAtSeconds() < nowSeconds) {
                if (deleteIfStillExpired(row.connectionId(), nowSeconds)) {
                    expired.incrementAndGet();
                    return;
                }
            }
            rows.incrementAndGet(row.partitionId());
            if (probe != null && row.connectedAtMillis() < youngAfter && clock.instant().isBefore(probeDeadline)) {
                probed.incrementAndGet();
                probe.probe(row.connectionId(), liveness -> {
                    if (liveness == ConnectionProbe.Liveness.UNKNOWN) {
                        inconclusive.incrementAndGet();
                    } else if (liveness == ConnectionProbe.Liveness.GONE) {
                        removeGone(row, rows, ownChanges, gone);
                    }
                });
            }
        });
        if (probe != null) {
            probe.awaitIdle();
        }
        pause.settle(settle);
        RegistryReader.PartitionCounts after = reader.partitionCounts();
        List<Repair> repairs = new ArrayList<>();
        int busy = 0;
        long total = 0;
        for (int p = 1; p <= n; p++) {
            long counted = rows.get(p);
            total += counted;
            if (after.counts()[p] == counted) {
                continue;
            }
            if (after.changes()[p] != before.changes()[p] + ownChanges.get(p)) {
                busy++;
            } else if (repair(p, after.counts()[p], after.changes()[p], counted)) {
                repairs.add(new Repair(p, after.counts()[p], counted));
            } else {
                busy++;
            }
        }
        return new SweepReport(total, expired.get(), probed.get(), gone.get(), inconclusive.get(),
                n, repairs.size(), busy, repairs);
    }

    private void removeGone(Connection row, AtomicLongArray rows, AtomicLongArray ownChanges, AtomicLong gone) {
        try {
            switch (registry.removeConfirmedGone(row)) {
                case REMOVED -> {
                    rows.decrementAndGet(row.partitionId());
                    ownChanges.incrementAndGet(row.partitionId());
                    gone.incrementAndGet();
                }
                case REMOVED_COUNT_UNCHANGED -> {
                    rows.decrementAndGet(row.partitionId());
                    gone.incrementAndGet();
                }
                case KEPT -> { }
            }
        } catch (RuntimeException unreachable) {
            // The row stays, and is counted; the next sweep asks again.
        }
    }

    /** The condition keeps a row that a reconnect refreshed between the scan and the delete. */
    private boolean deleteIfStillExpired(String connectionId, long now) {
        try {
            dynamo.deleteItem(r -> r.tableName(config.connectionsTable())
                    .key(Map.of(RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(connectionId)))
                    .conditionExpression(RegistryAttributes.EXPIRES_AT + " < :now")
                    .expressionAttributeValues(Map.of(":now", DynamoValues.number(now))));
            return true;
        } catch (ConditionalCheckFailedException refreshed) {
            return false;
        }
    }

    /** Sets the count only if nothing changed it since it was read. */
    private boolean repair(int partition, long recorded, long changes, long actual) {
        String condition = changes == 0
                ? "attribute_not_exists(" + RegistryAttributes.COUNT_CHANGES + ") OR " + RegistryAttributes.COUNT_CHANGES + " = :changes"
                : RegistryAttributes.COUNT_CHANGES + " = :changes";
        try {
            dynamo.updateItem(r -> r.tableName(config.partitionsTable())
                    .key(Map.of(RegistryAttributes.PARTITION_ID, DynamoValues.number(partition)))
                    .updateExpression("SET " + RegistryAttributes.CONNECTION_COUNT + " = :actual ADD "
                            + RegistryAttributes.COUNT_CHANGES + " :one")
                    .conditionExpression(condition)
                    .expressionAttributeValues(Map.of(":actual", DynamoValues.number(actual),
                            ":changes", DynamoValues.number(changes), ":one", DynamoValues.number(1))));
            return true;
        } catch (ConditionalCheckFailedException movedMeanwhile) {
            return false;
        }
    }
}
