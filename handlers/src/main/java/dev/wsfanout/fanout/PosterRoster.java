package dev.wsfanout.fanout;

import dev.wsfanout.model.LedgerKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Who is posting now: every postMessage environment holds a short lease in the deliveries table
 * (partition {@value LedgerKeys#ROSTER_SHARD_KEY}) while an invocation of it runs, renews it, and
 * drops it when the invocation ends. The number of live leases is what the fleet's budget is
 * divided by. A lease that is not renewed (a crashed or frozen environment) stops counting after
 * {@link #LEASE}, and DynamoDB's TTL removes the item later.
 *
 * <p>Reads are eventually consistent (half the read units: the roster is one partition key that
 * every poster reads twice a second), so a lease may be missed for a moment; the poster's own
 * lease always counts.
 */
public final class PosterRoster {

    /** How long a lease counts without renewal: four renewals, so one lost write does not drop it. */
    public static final Duration LEASE = Duration.ofSeconds(2);
    /** Leases are kept an hour past their end before TTL may remove them; only their count matters. */
    private static final long TTL_SECONDS = 3600;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public PosterRoster(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Writes (or extends) {@code posterId}'s lease and counts the live ones.
     *
     * @return the posters active now, this one included (at least 1)
     */
    public int renew(String posterId) {
        long now = clock.millis();
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                LedgerKeys.SHARD_KEY, AttributeValue.fromS(LedgerKeys.ROSTER_SHARD_KEY),
                LedgerKeys.ENTRY, AttributeValue.fromS(LedgerKeys.posterEntry(posterId)),
                "leaseUntil", AttributeValue.fromN(Long.toString(now + LEASE.toMillis())),
                "expiresAt", AttributeValue.fromN(Long.toString(now / 1000 + TTL_SECONDS)))));
        int live = 0;
        boolean self = false;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table)
                    .keyConditionExpression("#k = :roster")
                    .filterExpression("leaseUntil > :now")
                    .projectionExpression("#e")
                    .expressionAttributeNames(Map.of("#k", LedgerKeys.SHARD_KEY, "#e", LedgerKeys.ENTRY))
                    .expressionAttributeValues(Map.of(
                            ":roster", AttributeValue.fromS(LedgerKeys.ROSTER_SHARD_KEY),
                            ":now", AttributeValue.fromN(Long.toString(now))))
                    .exclusiveStartKey(from));
            live += page.count();
            self |= page.items().stream().anyMatch(item ->
                    LedgerKeys.posterEntry(posterId).equals(item.get(LedgerKeys.ENTRY).s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return self ? live : live + 1;
    }

    /** Ends {@code posterId}'s lease at once, so the others take its rate without waiting for it to lapse. */
    public void leave(String posterId) {
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of(
                LedgerKeys.SHARD_KEY, AttributeValue.fromS(LedgerKeys.ROSTER_SHARD_KEY),
                LedgerKeys.ENTRY, AttributeValue.fromS(LedgerKeys.posterEntry(posterId)))));
    }

    /** The rate of one of {@code posters} active posters under a fleet budget of {@code budget} posts/s. */
    public static double shareOf(double budget, int posters) {
        return budget / Math.max(1, posters);
    }
}
