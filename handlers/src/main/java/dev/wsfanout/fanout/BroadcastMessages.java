package dev.wsfanout.fanout;

import dev.wsfanout.model.FanoutSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The message of a broadcast as its record in the broadcasts table holds it: the JSON text the
 * state machine sized, which is exactly what every client receives. Read once per broadcast and
 * execution environment (a few recent ones are kept), so a 128 KiB message costs one read per
 * warm query function, not one per batch.
 */
public final class BroadcastMessages {

    /** A query or postMessage environment works on a broadcast or two at a time. */
    private static final int FAN_OUT_REMEMBERED = 4;

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final Map<String, String> recent;

    public BroadcastMessages(DynamoDbAsyncClient dynamo, String table) {
        this(dynamo, table, FAN_OUT_REMEMBERED);
    }

    /** Keeps the {@code remembered} most recently used messages (a record's message never changes). */
    public BroadcastMessages(DynamoDbAsyncClient dynamo, String table, int remembered) {
        this.dynamo = dynamo;
        this.table = table;
        this.recent = new LinkedHashMap<>(remembered, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > remembered;
            }
        };
    }

    /** The message's JSON text; fails with {@link UnknownBroadcastException} if the record or its message is missing. */
    public String messageOf(String broadcastId) {
        synchronized (recent) {
            String known = recent.get(broadcastId);
            if (known != null) {
                return known;
            }
        }
        String message;
        try {
            message = read(broadcastId).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        synchronized (recent) {
            recent.put(broadcastId, message);
        }
        return message;
    }

    private CompletableFuture<String> read(String broadcastId) {
        return dynamo.getItem(r -> r.tableName(table)
                        .key(Map.of(FanoutSchema.BROADCAST_ID, AttributeValue.fromS(broadcastId)))
                        .projectionExpression("message")
                        .consistentRead(true))
                .thenApply(response -> {
                    AttributeValue message = response.hasItem() ? response.item().get("message") : null;
                    if (message == null || message.s() == null) {
                        throw new UnknownBroadcastException(broadcastId, table);
                    }
                    return message.s();
                });
    }

    /** A batch names a broadcast whose record (with its message) is not in the broadcasts table. */
    public static final class UnknownBroadcastException extends IllegalStateException {
        public UnknownBroadcastException(String broadcastId, String table) {
            super("UnknownBroadcast: broadcast " + broadcastId + " has no record with a message in table " + table
                    + "; the state machine's CreateBroadcast writes it before the fan-out starts");
        }
    }
}
