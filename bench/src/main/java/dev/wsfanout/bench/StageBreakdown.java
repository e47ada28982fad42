package dev.wsfanout.bench;

import dev.wsfanout.model.FanoutConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

import java.util.List;
import java.util.Map;

/**
 * Where the time of one wsfanout broadcast went, in ms after the StartExecution call: from the
 * execution history (ExecutionStarted, MapRunStarted, MapRunSucceeded, ExecutionSucceeded) and the
 * broadcast record's first and last delivery times, which postMessage writes.
 */
public record StageBreakdown(long executionStarted, long mapRunStarted, long firstDelivery, long mapRunSucceeded,
                             long lastDelivery, long executionSucceeded) {

    public static StageBreakdown of(SfnClient sfn, String executionArn, DynamoDbClient dynamo, FanoutConfig config,
                                    String broadcastId, long startMillis) {
        List<HistoryEvent> events = sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn)).events().stream().toList();
        Map<String, AttributeValue> record = dynamo.getItem(r -> r.tableName(config.broadcastsTable())
                .key(Map.of("broadcastId", AttributeValue.fromS(broadcastId))).consistentRead(true)).item();
        return new StageBreakdown(
                at(events, HistoryEventType.EXECUTION_STARTED, startMillis),
                at(events, HistoryEventType.MAP_RUN_STARTED, startMillis),
                number(record, "firstDeliveryAt", startMillis),
                at(events, HistoryEventType.MAP_RUN_SUCCEEDED, startMillis),
                number(record, "lastDeliveryAt", startMillis),
                at(events, HistoryEventType.EXECUTION_SUCCEEDED, startMillis));
    }

    /** Column names of {@link #row()}. */
    public static final List<String> HEADER = List.of("start → MapRunStarted", "Map (MapRunStarted → Succeeded)",
            "MapRunStarted → first post", "first → last post", "last post → execution end", "start → execution end");

    /** This breakdown as a report row, in {@link #HEADER}'s order. */
    public List<String> row() {
        return List.of(Format.millis(mapRunStarted), Format.millis(map()), Format.millis(toFirstDelivery()), Format.millis(posting()),
                Format.millis(completionPoll()), Format.millis(executionSucceeded));
    }

    /** The Map's own span: every query invocation, from the first child's start to the last one's end. */
    public long map() {
        return mapRunSucceeded - mapRunStarted;
    }

    /** From the Map's start to the first post: the first query's read and send plus the first chunk's wait in its queue. */
    public long toFirstDelivery() {
        return firstDelivery - mapRunStarted;
    }

    /** The posting window, first to last delivery. */
    public long posting() {
        return lastDelivery - firstDelivery;
    }

    /** From the last delivery to the execution's end: the completion poll. */
    public long completionPoll() {
        return executionSucceeded - lastDelivery;
    }

    private static long at(List<HistoryEvent> events, HistoryEventType type, long startMillis) {
        return events.stream().filter(e -> e.type() == type).findFirst()
                .map(e -> e.timestamp().toEpochMilli() - startMillis).orElse(-1L);
    }

    private static long number(Map<String, AttributeValue> item, String attribute, long startMillis) {
        AttributeValue v = item == null ? null : item.get(attribute);
        return v == null || v.n() == null ? -1 : Long.parseLong(v.n()) - startMillis;
    }
}
