package dev.wsfanout.registry;

import dev.wsfanout.model.Connection;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Who is connected and in which partition. Each change is two single-item writes — the
 * connection row, then its partition's count — because the DynamoDB stand-in has no
 * transactions and, on AWS, a transaction would double the write cost of every $connect. A crash
 * between the two leaves a count off by one; {@link StaleConnectionSweeper} recounts partitions
 * from the index and repairs it (docs/registry.md).
 */
public final class ConnectionRegistry {

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
     * @return the registered connection, or the one registered earlier for this id
     */
    public Connection connect(String connectionId, long connectedAtMillis) {
        int partitionId = assigner.assign();
        long expiresAt = clock.instant().getEpochSecond() + config.connectionTtlSeconds();
        Connection connection = new Connection(connectionId, partitionId, connectedAtMillis, expiresAt);
        try {
            dynamo.putItem(r -> r.tableName(config.connectionsTable())
                    .item(Map.of(
                            RegistryAttributes.CONNECTION_ID, AttributeValue.fromS(connectionId),
                            RegistryAttributes.PARTITION_ID, number(partitionId),
                            RegistryAttributes.CONNECTED_AT, number(connectedAtMillis),
                            RegistryAttributes.EXPIRES_AT, number(expiresAt)))
                    .conditionExpression("attribute_not_exists(" + RegistryAttributes.CONNECTION_ID + ")"));
        } catch (ConditionalCheckFailedException alreadyRegistered) {
            return find(connectionId).orElse(connection);
        }
        dynamo.updateItem(r -> r.tableName(config.partitionsTable())
                .key(Map.of(RegistryAttributes.PARTITION_ID, number(partitionId)))
                .updateExpression("ADD " + RegistryAttributes.CONNECTION_COUNT + " :one")
                .expressionAttributeValues(Map.of(":one", number(1))));
        return connection;
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
        try {
            dynamo.updateItem(r -> r.tableName(config.partitionsTable())
                    .key(Map.of(RegistryAttributes.PARTITION_ID, number(removed.partitionId())))
                    .updateExpression("ADD " + RegistryAttributes.CONNECTION_COUNT + " :minusOne")
                    .conditionExpression(RegistryAttributes.CONNECTION_COUNT + " > :zero")
                    .expressionAttributeValues(Map.of(":minusOne", number(-1), ":zero", number(0))));
        } catch (ConditionalCheckFailedException alreadyZero) {
            // The count missed this connection's increment (a crash after its put); the sweeper's
            // recount settles it, and a count below zero would only mislead the assigner.
        }
        return Optional.of(removed);
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
                .key(Map.of(RegistryAttributes.PARTITION_ID, number(partitionId)))
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

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
