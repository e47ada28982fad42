package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.gateway.GatewayCounters;
import dev.wsfanout.model.BroadcastTally;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one chaos run measured, and the verdict: the guarantee held when the execution
 * SUCCEEDED, no connection open throughout missed the broadcast, the audit adds up to the plan's
 * connections, and the ledger still says the same once every redelivery has run its course.
 *
 * @param broadcastId     the execution's name
 * @param registered      registry rows before the broadcast (every connection, or the setup was wrong)
 * @param status          the execution's status (RUNNING if it had not ended by the run's deadline)
 * @param output          its output, the audit (null unless it succeeded)
 * @param error           its error and cause (null unless it failed)
 * @param receipts        what every connection received
 * @param afterDrain      the tallies read once the shard queues were empty; empty if they never were
 * @param failedByReason  connections counted failed, per reason on their chunk's marker
 * @param startMillis     epoch ms just before StartExecution
 * @param endMillis       epoch ms the execution was seen ended, or -1
 * @param lastReceiptMillis epoch ms of the last connection's first copy, or -1
 * @param dynamo          the fault proxy's counters in front of dynalite
 * @param sqs             the fault proxy's counters in front of ElasticMQ
 * @param dynamoWrites    DynamoDB writes made while the faults were on (the ones they drew for)
 * @param sqsWrites       SQS sends made while the faults were on
 * @param gateway         the gateway's counters at the end
 * @param reruns          the forced Map reruns
 * @param crashes         the crashed postMessage invocations
 * @param socketsClosed   real sockets the run closed
 * @param virtualEnded    virtual connections the run ended
 */
record ChaosOutcome(String broadcastId, long registered, String status, JsonNode output, String error,
                    ClientReceipts receipts, Optional<BroadcastTally> afterDrain, Map<String, Long> failedByReason, long startMillis, long endMillis,
                    long lastReceiptMillis, FaultCounters dynamo, FaultCounters sqs, long dynamoWrites, long sqsWrites,
                    GatewayCounters gateway, MapReruns reruns,
                    PostMessageCrashes crashes, int socketsClosed, int virtualEnded) {

    static final String SUCCEEDED = "SUCCEEDED";

    long audit(String field) {
        return output == null ? -1 : output.path(field).asLong(-1);
    }

    long settled() {
        return audit("delivered") + audit("gone") + audit("failed");
    }

    /** delivered + gone + failed = the plan's connections, in the execution's own output. */
    boolean auditExact() {
        return output != null && settled() == audit("connections");
    }

    /** Nothing was counted after the execution ended, once every redelivery had run. */
    boolean stableAfterDrain() {
        return output != null && afterDrain.isPresent()
                && afterDrain.get().delivered() == audit("delivered") && afterDrain.get().gone() == audit("gone")
                && afterDrain.get().failed() == audit("failed");
    }

    /** What broke the guarantee; empty when it held. */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (!SUCCEEDED.equals(status)) {
            failures.add("the execution ended " + status + (error == null ? "" : ": " + error));
        }
        if (receipts.missed() > 0) {
            failures.add(receipts.missed() + " connection(s) open throughout received no copy");
        }
        if (output != null && !auditExact()) {
            failures.add("the audit does not add up: delivered + gone + failed = " + settled() + ", connections = "
                    + audit("connections"));
        }
        if (output != null && !stableAfterDrain()) {
            failures.add("the ledger changed after the execution ended: " + afterDrain.map(BroadcastTally::toString)
                    .orElse("the shard queues never drained"));
        }
        return failures;
    }

    boolean held() {
        return failures().isEmpty();
    }

    double secondsToEnd() {
        return endMillis < 0 ? Double.NaN : (endMillis - startMillis) / 1000.0;
    }

    double secondsToLastReceipt() {
        return lastReceiptMillis < 0 ? Double.NaN : (lastReceiptMillis - startMillis) / 1000.0;
    }
}
