package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.AuditReport;
import dev.wsfanout.model.JsonCodec;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Builds a {@link BroadcastAudit} from DescribeExecution, GetExecutionHistory and DescribeMapRun,
 * plus the broadcasts table when the target is local. On AWS the counters and the first/last
 * delivery times come from the history: the state machine's completion poll reads the broadcast
 * record with GetItem, and each read's result is in a TaskSucceeded event.
 */
public final class AuditReader {

    private final BroadcastTarget target;

    public AuditReader(BroadcastTarget target) {
        this.target = target;
    }

    /** @throws CliException if there is no such execution */
    public BroadcastAudit read(String nameOrArn) {
        String executionArn = target.executionArn(nameOrArn);
        SfnClient sfn = target.sfn();
        DescribeExecutionResponse execution;
        try {
            execution = sfn.describeExecution(r -> r.executionArn(executionArn));
        } catch (ExecutionDoesNotExistException | InvalidArnException e) {
            throw new CliException(CliException.FAILED, "no broadcast '" + nameOrArn + "': execution " + executionArn
                    + " does not exist" + (target.isLocal() ? " on the local stack" : ""), e);
        }
        // Pages of the maximum size: a long completion loop adds five events per poll.
        List<HistoryEvent> history = sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn).maxResults(1000))
                .events().stream().toList();

        String broadcastId = execution.name();
        Optional<BroadcastRecord> record = target.records().isPresent()
                ? target.records().get().read(broadcastId)
                : lastTallyRead(history);
        Optional<JsonNode> output = execution.status() == ExecutionStatus.SUCCEEDED && execution.output() != null
                ? Optional.of(JsonCodec.readTree(execution.output()))
                : Optional.empty();

        Instant start = execution.startDate();
        Instant stop = execution.stopDate();
        long duration = (stop == null ? Instant.now() : stop).toEpochMilli() - start.toEpochMilli();
        BroadcastAudit.MapRunCounts mapRun = mapRunArn(history).map(this::mapRun).orElse(null);
        return new BroadcastAudit(broadcastId, executionArn, execution.statusAsString(),
                target.isLocal() ? "local" : startedBy(history), start.toString(), stop == null ? null : stop.toString(),
                messageBytes(execution.input()),
                count(output, "partitions", record.map(BroadcastRecord::partitions).orElse(0L)),
                count(output, "connections", record.map(r -> r.tally().queued()).orElse(0L)),
                count(output, "delivered", record.map(r -> r.tally().delivered()).orElse(0L)),
                count(output, "gone", record.map(r -> r.tally().gone()).orElse(0L)),
                count(output, "failed", record.map(r -> r.tally().failed()).orElse(0L)),
                count(output, "retried", record.map(r -> r.tally().retried()).orElse(0L)),
                duration,
                record.map(BroadcastRecord::firstDeliveryAt).map(at -> at - start.toEpochMilli()).orElse(null),
                record.map(BroadcastRecord::lastDeliveryAt).map(at -> at - start.toEpochMilli()).orElse(null),
                execution.error(), execution.cause(), mapRun);
    }

    private static long count(Optional<JsonNode> output, String field, long fallback) {
        return output.map(o -> o.get(field)).filter(JsonNode::isNumber).map(JsonNode::asLong).orElse(fallback);
    }

    private static int messageBytes(String input) {
        if (input == null) {
            return 0;
        }
        try {
            JsonNode message = JsonCodec.readTree(input).get("message");
            return message == null ? 0 : JsonCodec.utf8Size(message);
        } catch (IllegalArgumentException notJson) {
            return 0;
        }
    }

    private static String startedBy(List<HistoryEvent> history) {
        return history.stream().filter(e -> e.type() == HistoryEventType.EXECUTION_STARTED).findFirst()
                .map(e -> e.executionStartedEventDetails().roleArn()).orElse("unknown");
    }

    private static Optional<String> mapRunArn(List<HistoryEvent> history) {
        return history.stream().filter(e -> e.type() == HistoryEventType.MAP_RUN_STARTED)
                .reduce((first, second) -> second)
                .map(e -> e.mapRunStartedEventDetails().mapRunArn());
    }

    private BroadcastAudit.MapRunCounts mapRun(String mapRunArn) {
        DescribeMapRunResponse run = target.sfn().describeMapRun(r -> r.mapRunArn(mapRunArn));
        var items = run.itemCounts();
        var children = run.executionCounts();
        return new BroadcastAudit.MapRunCounts(mapRunArn, run.statusAsString(), items.total(), items.succeeded(),
                items.failed(), items.pending(), items.running(), children.total(), children.succeeded(), children.failed());
    }

    /** The counts as the state machine's last audit task (its completion poll or recount) read them. */
    private static Optional<BroadcastRecord> lastTallyRead(List<HistoryEvent> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEvent event = history.get(i);
            if (event.type() == HistoryEventType.TASK_SUCCEEDED && "invoke".equals(event.taskSucceededEventDetails().resource())) {
                JsonNode payload = JsonCodec.readTree(event.taskSucceededEventDetails().output()).path("Payload");
                if (payload.has("countedChunks")) {
                    return Optional.of(BroadcastRecords.fromReport(JsonCodec.mapper().convertValue(payload, AuditReport.class)));
                }
            }
        }
        return Optional.empty();
    }
}
