package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The broadcasts started one after another while the registry soak churns, each a StartExecution
 * of the stack's state machine through the real SfnClient; they may overlap. Their ends are read
 * with DescribeExecution: while the churn runs (for the progress lines) and after it, when the soak
 * waits for every one of them before it collects the receipts.
 */
final class SoakBroadcasts {

    /**
     * How one broadcast's execution stood when last described.
     *
     * @param id      the broadcast id (also the execution's name)
     * @param status  SUCCEEDED, FAILED, TIMED_OUT, ABORTED, or RUNNING (still running at the deadline)
     * @param seconds from its start to its end (or to the last look, while running)
     * @param output  the execution's output (the audit: connections, delivered, gone, failed, retried), null unless it succeeded
     * @param error   error and cause, for an execution that ended otherwise
     */
    record End(String id, String status, double seconds, JsonNode output, String error) {

        boolean running() {
            return ExecutionStatus.RUNNING.toString().equals(status);
        }

        boolean succeeded() {
            return ExecutionStatus.SUCCEEDED.toString().equals(status);
        }

        /** A field of the output, or -1 without one. */
        long audit(String field) {
            return output == null ? -1 : output.path(field).asLong(-1);
        }

        /** delivered + gone + failed = connections: every queued connection has its outcome. */
        boolean auditExact() {
            return output != null && audit("delivered") + audit("gone") + audit("failed") == audit("connections");
        }
    }

    private static final long POLL_MILLIS = 1_000;

    private final SfnClient sfn;
    private final String stateMachineArn;
    private final String prefix = "soak-" + System.currentTimeMillis() + "-";
    private final List<String> ids = new ArrayList<>();
    private final List<String> arns = new ArrayList<>();
    private final List<Long> startedAt = new ArrayList<>();
    private final List<End> ends = new ArrayList<>();

    SoakBroadcasts(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    void startNext() {
        String id = prefix + (ids.size() + 1);
        String input = JsonCodec.write(Map.of("message", BroadcastBench.message("registry-soak")));
        String arn = sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(id).input(input)).executionArn();
        ids.add(id);
        arns.add(arn);
        startedAt.add(System.currentTimeMillis());
        ends.add(new End(id, ExecutionStatus.RUNNING.toString(), 0, null, null));
    }

    int count() {
        return ids.size();
    }

    /** Describes every execution not known to have ended; returns how many have. */
    long poll() {
        for (int i = 0; i < ids.size(); i++) {
            if (!ends.get(i).running()) {
                continue;
            }
            String arn = arns.get(i);
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(arn));
            boolean running = d.status() == ExecutionStatus.RUNNING;
            double seconds = ((running ? System.currentTimeMillis() : d.stopDate().toEpochMilli()) - startedAt.get(i)) / 1000.0;
            ends.set(i, new End(ids.get(i), d.statusAsString(), seconds,
                    d.status() == ExecutionStatus.SUCCEEDED && d.output() != null ? JsonCodec.readTree(d.output()) : null,
                    running || d.status() == ExecutionStatus.SUCCEEDED ? null : d.error() + ": " + d.cause()));
        }
        return ends.stream().filter(e -> !e.running()).count();
    }

    /**
     * Describes the executions every second until each has ended or {@code deadline} has passed
     * (those still running then keep status RUNNING); says how many are left every
     * {@code progressEvery}.
     */
    List<End> awaitEnd(Duration deadline, Duration progressEvery, Progress progress) {
        long start = System.currentTimeMillis();
        long giveUp = start + deadline.toMillis();
        long nextProgress = start + progressEvery.toMillis();
        while (poll() < ids.size() && System.currentTimeMillis() < giveUp) {
            if (System.currentTimeMillis() >= nextProgress) {
                progress.say("registry: %4.0f s after the churn: %d of %d broadcast executions still running",
                        (System.currentTimeMillis() - start) / 1000.0, ends.stream().filter(End::running).count(), ids.size());
                nextProgress += progressEvery.toMillis();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return List.copyOf(ends);
    }

    String executionArn(String id) {
        return arns.get(ids.indexOf(id));
    }
}
