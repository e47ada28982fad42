package dev.wsfanout.fanout;

import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.LedgerKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.wsfanout.aws.DynamoValues.number;

/**
 * One marker per delivery chunk (deliveries table, entry {@code chunk#<chunkId>}): the persisted
 * state of the chunk's settlement. {@code claimed} while an invocation posts it (with a lease and
 * the claimant's token), {@code posted} once its outcome is saved on it; the chunk is settled when
 * its outcome is counted (see {@link BroadcastTallies}). Every step after posting works from the
 * saved outcome, so an invocation that breaks anywhere after it is finished by the next delivery of
 * the same SQS message without posting again.
 *
 * <p>Every write is safe to repeat: a claim or an outcome whose response was lost and that the SDK
 * retried fails its condition, and the read that follows recognises the caller's own token.
 */
public final class DeliveryLedger {

    /** How long markers, plans and tallies are kept after a broadcast: its audit window. */
    static final long RETENTION_SECONDS = dev.wsfanout.model.Retention.RECORDS.toSeconds();

    private static final String CLAIMED = "claimed";
    private static final String POSTED = "posted";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DeliveryLedger(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** What {@link #claim} found. */
    public enum ClaimState {
        /** The caller holds the chunk and posts it. */
        CLAIMED,
        /** Another invocation's lease is live: hand the message back to SQS for later. */
        HELD_ELSEWHERE,
        /** Posted already: finish its settlement from {@link Claim#outcome()}. */
        POSTED
    }

    public record Claim(ClaimState state, Optional<ChunkOutcome> outcome) {
        static Claim of(ClaimState state) {
            return new Claim(state, Optional.empty());
        }
    }

    /**
     * Claims a chunk for {@code leaseMillis}. A claim left behind by a crashed invocation expires
     * with its lease, and the redelivered message claims it again.
     */
    public Claim claim(String broadcastId, String chunkId, int attempt, String owner, long leaseMillis) {
        long now = clock.millis();
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(key(broadcastId, chunkId))
                    .updateExpression("SET #s = :claimed, #o = :owner, leaseUntil = :lease, attempt = :attempt, " + FanoutSchema.EXPIRES_AT + " = :expires")
                    .conditionExpression("attribute_not_exists(#s) OR (#s = :claimed AND leaseUntil < :now)")
                    .expressionAttributeNames(Map.of("#s", "state", "#o", "owner"))
                    .expressionAttributeValues(Map.of(
                            ":claimed", AttributeValue.fromS(CLAIMED),
                            ":owner", AttributeValue.fromS(owner),
                            ":lease", number(now + leaseMillis),
                            ":attempt", number(attempt),
                            ":now", number(now),
                            ":expires", number(now / 1000 + RETENTION_SECONDS))));
            return Claim.of(ClaimState.CLAIMED);
        } catch (ConditionalCheckFailedException taken) {
            Map<String, AttributeValue> marker = read(broadcastId, chunkId);
            String state = text(marker, "state");
            if (POSTED.equals(state)) {
                return new Claim(ClaimState.POSTED, Optional.of(outcomeOf(marker)));
            }
            return owner.equals(text(marker, "owner")) ? Claim.of(ClaimState.CLAIMED) : Claim.of(ClaimState.HELD_ELSEWHERE);
        }
    }

    /**
     * Saves a claimed chunk's outcome.
     *
     * @return the outcome the marker holds: {@code outcome}, or the one another invocation saved
     *         first (its lease had taken over this one's); only that one is ever counted
     * @throws LeaseLostException if another invocation holds the chunk and has not saved an outcome yet
     */
    public ChunkOutcome recordPosted(String broadcastId, String chunkId, String owner, ChunkOutcome outcome) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":posted", AttributeValue.fromS(POSTED));
        values.put(":claimed", AttributeValue.fromS(CLAIMED));
        values.put(":owner", AttributeValue.fromS(owner));
        values.put(":d", number(outcome.delivered()));
        values.put(":gone", strings(outcome.goneIds()));
        values.put(":retry", strings(outcome.retryIds()));
        values.put(":throttled", strings(outcome.throttledIds()));
        values.put(":untried", strings(outcome.untriedIds()));
        values.put(":failed", strings(outcome.failedIds()));
        values.put(":reason", AttributeValue.fromS(outcome.failureReason() == null ? "" : outcome.failureReason()));
        values.put(":first", number(outcome.firstPostMillis()));
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(key(broadcastId, chunkId))
                    .updateExpression("SET #s = :posted, delivered = :d, goneIds = :gone, retryIds = :retry, throttledIds = :throttled, untriedIds = :untried, "
                            + "failedIds = :failed, reason = :reason, firstPostAt = :first")
                    .conditionExpression("#s = :claimed AND #o = :owner")
                    .expressionAttributeNames(Map.of("#s", "state", "#o", "owner"))
                    .expressionAttributeValues(values));
            return outcome;
        } catch (ConditionalCheckFailedException notOurs) {
            Map<String, AttributeValue> marker = read(broadcastId, chunkId);
            if (POSTED.equals(text(marker, "state"))) {
                return outcomeOf(marker);
            }
            throw new LeaseLostException(broadcastId, chunkId);
        }
    }

    /**
     * Gives up a claim at once, when this invocation knows it will not post the chunk, so the
     * redelivered message need not wait for the lease to run out.
     */
    public void release(String broadcastId, String chunkId, String owner) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(key(broadcastId, chunkId))
                    .updateExpression("SET leaseUntil = :zero")
                    .conditionExpression("#s = :claimed AND #o = :owner")
                    .expressionAttributeNames(Map.of("#s", "state", "#o", "owner"))
                    .expressionAttributeValues(Map.of(":zero", number(0), ":claimed", AttributeValue.fromS(CLAIMED),
                            ":owner", AttributeValue.fromS(owner))));
        } catch (RuntimeException bestEffort) {
            // The lease runs out on its own; releasing early only saves the wait.
        }
    }

    /** The outcome saved on a marker item (as a Query of the ledger returns it). */
    static ChunkOutcome outcomeOf(Map<String, AttributeValue> marker) {
        return new ChunkOutcome(Long.parseLong(marker.get("delivered").n()), list(marker, "goneIds"), list(marker, "retryIds"), list(marker, "throttledIds"),
                list(marker, "untriedIds"),
                list(marker, "failedIds"), text(marker, "reason"), Long.parseLong(marker.get("firstPostAt").n()));
    }

    static boolean isPosted(Map<String, AttributeValue> marker) {
        return POSTED.equals(text(marker, "state"));
    }

    private Map<String, AttributeValue> read(String broadcastId, String chunkId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(broadcastId, chunkId))
                .consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    static Map<String, AttributeValue> key(String broadcastId, String chunkId) {
        String entry = LedgerKeys.chunkEntry(chunkId);
        return Map.of(LedgerKeys.SHARD_KEY, AttributeValue.fromS(LedgerKeys.shardKeyOf(broadcastId, entry)),
                LedgerKeys.ENTRY, AttributeValue.fromS(entry));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static List<String> list(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(AttributeValue::s).toList();
    }

    private static AttributeValue strings(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    /** Another invocation claimed the chunk while this one posted it, and has not saved an outcome yet. */
    public static final class LeaseLostException extends IllegalStateException {
        public LeaseLostException(String broadcastId, String chunkId) {
            super("LeaseLost: chunk " + chunkId + " of " + broadcastId + " was claimed by another invocation while this one "
                    + "posted it; the message goes back to SQS and the other invocation's outcome will count");
        }
    }
}
