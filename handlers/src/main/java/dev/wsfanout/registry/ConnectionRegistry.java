package dev.wsfanout.registry;

import dev.wsfanout.aws.DynamoValues;
import dev.wsfanout.model.Connection;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who is connected and in which partition. Each change is two single-item writes — the
 * connection row, then its partition's count — because the DynamoDB stand-in has no
 * transactions and, on AWS, a transaction would double the write cost of every $connect. A crash
 * between the two leaves a count off by one; {@link StaleConnectionSweeper} recounts partitions
 * from a consistent scan and repairs it (docs/registry.md).
 */
public final class ConnectionRegistry {

    /**
     * How long a row may be too young to judge: API Gateway answers 410 for a connection whose
     * $connect is still running or whose handshake has not completed, and $connect writes its row
     * within its function timeout (10 s in the stack). A 410 for a younger row is not proof the
     * client left; PostToConnection retries it, and the sweeper does not probe it yet.
     */
    public static final Duration CONNECTING_GRACE = Duration.ofSeconds(10);

    /** The most a removal after a failed $connect may take: it runs on the client's handshake. */
    private static final Duration UNDO_TIMEOUT = Duration.ofSeconds(1);

    private final DynamoDbClient dynamo;
    private final FanoutConfig config;
    private final PartitionAssigner assigner;
    private final Clock clock;

    public ConnectionRegistry(DynamoDbClient dynamo, FanoutConfig config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
        this.assigner = new PartitionAssigner(dynamo, config.partitionsTable(), config.partitionCount());
    }

    /**
     * Registers a new connection. A repeated $connect for the same id (a Lambda retry) finds the
     * row already there and changes nothing, so the count is never raised twice.
     *
     * <p>The row is the last thing that can fail: once it is written the socket must be accepted,
     * so nothing after it throws. Each write is bounded by {@code budget} (what is left of the
     * function's timeout): a put still running when the sandbox is stopped could land after API
     * Gateway has refused the socket, a row no $disconnect would ever remove.
     *
     * @return the registered connection, or the one registered earlier for this id
     */
    public Connection connect(String connectionId, long connectedAtMillis) {
        return connect(connectionId, connectedAtMillis, CONNECTING_GRACE);
    }

    /** As {@link #connect(String, long)}, with every write ending within {@code budget}. */
    public Connection connect(String connectionId, long connectedAtMillis, Duration budget) {
        return connect(connectionId, connectedAtMillis, budget, null);
    }

    /**
     * As {@link #connect(String, long, Duration)}, with who connected on the row.
     *
     * @param identity the authorizer's identity of the client (its token's {@code sub}); null without an authorizer
     */
    public Connection connect(String connectionId, long connectedAtMillis, Duration budget, String identity) {
        AwsRequestOverrideConfiguration bounded = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(budget).build();
        int partitionId = assigner.assign();
        long expiresAt = clock.instant().getEpochSecond() + config.connectionTtlSeconds();
        Connection connection = new Connection(connectionId, partitionId, connectedAtMillis, expiresAt);
        try {
            Map<String, AttributeValue> row = new HashMap<>(Map.of(
                    RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(connectionId),
                    RegistryAttributes.PARTITION_ID, DynamoValues.number(partitionId),
                    RegistryAttributes.CONNECTED_AT, DynamoValues.number(connectedAtMillis),
                    RegistryAttributes.EXPIRES_AT, DynamoValues.number(expiresAt)));
            if (identity != null && !identity.isBlank()) {
                row.put(RegistryAttributes.IDENTITY, AttributeValue.fromS(identity));
            }
            dynamo.putItem(r -> r.overrideConfiguration(bounded).tableName(config.connectionsTable())
                    .item(row)
                    .conditionExpression("attribute_not_exists(" + RegistryAttributes.CONNECTION_ID + ")"));
        } catch (ConditionalCheckFailedException alreadyRegistered) {
            return find(connectionId).orElse(connection);
        } catch (RuntimeException failed) {
            // The put may have been applied with its response lost: a refused socket must not
            // leave a row that no $disconnect will ever remove.
            removeQuietly(connectionId, connectedAtMillis);
            throw failed;
        }
        try {
            dynamo.updateItem(r -> r.overrideConfiguration(bounded).tableName(config.partitionsTable())
                    .key(Map.of(RegistryAttributes.PARTITION_ID, DynamoValues.number(partitionId)))
                    .updateExpression("ADD " + RegistryAttributes.CONNECTION_COUNT + " :one, "
                            + RegistryAttributes.COUNT_CHANGES + " :one")
                    .expressionAttributeValues(Map.of(":one", DynamoValues.number(1))));
        } catch (RuntimeException countNotRaised) {
            // The row is written, so the socket must be accepted: failing now would refuse a
            // client that every broadcast would then post to. The count only guides the
            // assigner; the sweeper recounts it.
            System.err.println("$connect: " + connectionId + " is registered but partition " + partitionId
                    + "'s count was not raised (the sweeper repairs it): " + countNotRaised);
        }
        return connection;
    }

    private void removeQuietly(String connectionId, long connectedAtMillis) {
        try {
            dynamo.deleteItem(r -> r.overrideConfiguration(o -> o.apiCallTimeout(UNDO_TIMEOUT))
                    .tableName(config.connectionsTable())
                    .key(Map.of(RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(connectionId)))
                    .conditionExpression(RegistryAttributes.CONNECTED_AT + " = :mine")
                    .expressionAttributeValues(Map.of(":mine", DynamoValues.number(connectedAtMillis))));
        } catch (RuntimeException e) {
            // Absent (the put was not applied) or unreachable: then the sweeper's probe finds the
            // row's connection gone (410) and removes it.
        }
    }

    /** What {@link #removeGone} did. */
    public enum GoneRemoval {
        /** The row was removed and its partition's count lowered. */
        REMOVED,
        /** There was no row (removed before, or never written). */
        ABSENT,
        /** The row is younger than the grace period: kept, and the post is worth another try. */
        TOO_YOUNG
    }

    /**
     * Removes a connection PostToConnection answered 410 for, unless its row is younger than
     * {@code grace}. API Gateway answers 410 for a connection whose $connect is still running or
     * whose handshake has not completed (the row is written inside $connect); deleting the row
     * then would leave a live client unregistered for its whole lifetime.
     */
    public GoneRemoval removeGone(String connectionId, Duration grace) {
        long cutoff = clock.millis() - grace.toMillis();
        DeleteItemResponse deleted;
        try {
            deleted = dynamo.deleteItem(r -> r.tableName(config.connectionsTable())
                    .key(Map.of(RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(connectionId)))
                    .conditionExpression("attribute_not_exists(#c) OR #c < :cutoff")
                    .expressionAttributeNames(Map.of("#c", RegistryAttributes.CONNECTED_AT))
                    .expressionAttributeValues(Map.of(":cutoff", DynamoValues.number(cutoff)))
                    .returnValues(ReturnValue.ALL_OLD));
        } catch (ConditionalCheckFailedException young) {
            return GoneRemoval.TOO_YOUNG;
        }
        if (!deleted.hasAttributes() || deleted.attributes().isEmpty()) {
            return GoneRemoval.ABSENT;
        }
        lowerCount(fromItem(deleted.attributes()));
        return GoneRemoval.REMOVED;
    }

    /** What {@link #removeConfirmedGone} did. */
    public enum ConfirmedRemoval {
        /** The row was removed and its partition's count lowered. */
        REMOVED,
        /** The row was removed; the count was already 0 (it had missed this row's increment). */
        REMOVED_COUNT_UNCHANGED,
        /** The row changed since it was read (a reconnect reused the id) or is gone already. */
        KEPT
    }

    /**
     * Removes a row the sweeper found gone (GetConnection answered 410 after the grace), unless
     * the row changed since it was read.
     */
    public ConfirmedRemoval removeConfirmedGone(Connection seen) {
        try {
            dynamo.deleteItem(r -> r.tableName(config.connectionsTable())
                    .key(Map.of(RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(seen.connectionId())))
                    .conditionExpression(RegistryAttributes.CONNECTED_AT + " = :seen")
                    .expressionAttributeValues(Map.of(":seen", DynamoValues.number(seen.connectedAtMillis()))));
        } catch (ConditionalCheckFailedException changed) {
            return ConfirmedRemoval.KEPT;
        }
        return lowerCount(seen) ? ConfirmedRemoval.REMOVED : ConfirmedRemoval.REMOVED_COUNT_UNCHANGED;
    }

    /**
     * Removes a connection ($disconnect, or a 410 from PostToConnection). An unknown id — never
     * registered, or already removed — is a no-op.
     *
     * @return the removed connection, if there was one
     */
    public Optional<Connection> disconnect(String connectionId) {
        DeleteItemResponse deleted = dynamo.deleteItem(r -> r.tableName(config.connectionsTable())
                .key(Map.of(RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(connectionId)))
                .returnValues(ReturnValue.ALL_OLD));
        if (!deleted.hasAttributes() || deleted.attributes().isEmpty()) {
            return Optional.empty();
        }
        Connection removed = fromItem(deleted.attributes());
        lowerCount(removed);
        return Optional.of(removed);
    }

    private boolean lowerCount(Connection removed) {
        try {
            dynamo.updateItem(r -> r.tableName(config.partitionsTable())
                    .key(Map.of(RegistryAttributes.PARTITION_ID, DynamoValues.number(removed.partitionId())))
                    .updateExpression("ADD " + RegistryAttributes.CONNECTION_COUNT + " :minusOne, "
                            + RegistryAttributes.COUNT_CHANGES + " :one")
                    .conditionExpression(RegistryAttributes.CONNECTION_COUNT + " > :zero")
                    .expressionAttributeValues(Map.of(":minusOne", DynamoValues.number(-1), ":one", DynamoValues.number(1), ":zero", DynamoValues.number(0))));
            return true;
        } catch (ConditionalCheckFailedException alreadyZero) {
            // The count missed this connection's increment (a crash after its put); the sweeper's
            // recount settles it, and a count below zero would only mislead the assigner.
            return false;
        }
    }

    public Optional<Connection> find(String connectionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.connectionsTable())
                .key(Map.of(RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(connectionId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** The count the partitions table holds for a partition (0 if it was never written). */
    public long partitionCount(int partitionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(config.partitionsTable())
                .key(Map.of(RegistryAttributes.PARTITION_ID, DynamoValues.number(partitionId)))
                .consistentRead(true)).item();
        AttributeValue count = item == null ? null : item.get(RegistryAttributes.CONNECTION_COUNT);
        return count == null ? 0 : Long.parseLong(count.n());
    }

    static Connection fromItem(Map<String, AttributeValue> item) {
        return new Connection(item.get(RegistryAttributes.CONNECTION_ID).s(),
                Integer.parseInt(item.get(RegistryAttributes.PARTITION_ID).n()),
                Long.parseLong(item.get(RegistryAttributes.CONNECTED_AT).n()),
                Long.parseLong(item.get(RegistryAttributes.EXPIRES_AT).n()));
    }
}
