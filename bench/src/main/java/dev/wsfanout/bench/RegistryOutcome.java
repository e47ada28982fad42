package dev.wsfanout.bench;

import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.gateway.GatewayCounters;
import dev.wsfanout.registry.StaleConnectionSweeper;
import dev.wsfanout.stack.LocalCensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one registry soak saw, and its verdict.
 *
 * @param stableClients            clients connected before the churn and the first broadcast
 * @param stableStatus             their keep-alives, and which of them closed (none should)
 * @param churn                    what the churning clients did, as they saw it
 * @param refusedByType            the $connects that failed during the churn and after, per error type, as the gateway logged them
 * @param injectedConnectTimeouts  the row's PutItem held past the $connect timeout by the fault proxy: each one a refused $connect
 * @param broadcasts               every broadcast started during the churn, as its execution ended (or stood at the deadline)
 * @param broadcastsEndedAfter     seconds from the churn's stop until every execution had ended (or the deadline)
 * @param missed                   the broadcasts (of those whose execution ended) the stable clients still open at the end missed
 * @param gatewayBefore            the gateway's counters when the churn started (the stable clients' connects)
 * @param gateway                  the gateway's counters at the end
 * @param dynamoFaults             what the fault proxy injected into DynamoDB calls
 * @param beforeSweep              the census once the churn settled, before the sweep
 * @param sweep                    the one sweep
 * @param afterSweep               the census after it: the figures that must be 0
 * @param churnSeconds             how long the churn ran
 */
record RegistryOutcome(int stableClients, StableFleet.Status stableStatus, ChurnTally churn, Map<String, Long> refusedByType,
                       long injectedConnectTimeouts, List<SoakBroadcasts.End> broadcasts, double broadcastsEndedAfter,
                       MissedBroadcasts missed, GatewayCounters gatewayBefore, GatewayCounters gateway, FaultCounters dynamoFaults,
                       LocalCensus beforeSweep, StaleConnectionSweeper.SweepReport sweep, LocalCensus afterSweep,
                       double churnSeconds) {

    long stillRunning() {
        return broadcasts.stream().filter(SoakBroadcasts.End::running).count();
    }

    List<SoakBroadcasts.End> endedOtherwise() {
        return broadcasts.stream().filter(e -> !e.running() && !e.succeeded()).toList();
    }

    /** $connects that failed by timing out (the function, or a registry write within it). */
    long timedOutConnects() {
        return refusedByType.entrySet().stream().filter(e -> ConnectRefusals.isTimeout(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * Timed-out $connects beyond the injected ones: the machine too slow to finish a $connect
     * within its timeout (0 when the injected holds explain every timeout).
     */
    long overloadTimeouts() {
        return Math.max(0, timedOutConnects() - injectedConnectTimeouts);
    }

    /** $connects that failed otherwise: a throttle or 500 that outlasted the SDK's retries, and the like. */
    long otherRefusals() {
        return refusedByType.entrySet().stream().filter(e -> !ConnectRefusals.isTimeout(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** The figures that are not 0 (or, for the stable clients and the broadcasts, not all there), in words; empty when the registry held. */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (afterSweep.rowsWithoutSocket() != 0) {
            failures.add(afterSweep.rowsWithoutSocket() + " rows without a socket");
        }
        if (afterSweep.socketsWithoutRow() != 0) {
            failures.add(afterSweep.socketsWithoutRow() + " sockets without a row");
        }
        if (afterSweep.registry().partitionsDrifted() != 0) {
            failures.add(afterSweep.registry().partitionsDrifted() + " partitions with a drifted count (total |drift| "
                    + afterSweep.registry().countDrift() + ")");
        }
        if (missed.missedPairs() != 0) {
            failures.add(missed.clientsWithMiss() + " clients connected throughout missed " + missed.missedPairs() + " broadcasts");
        }
        if (missed.open() + missed.closed() != stableClients || missed.closed() != 0) {
            failures.add(missed.closed() + " of " + stableClients + " stable clients closed on their own, "
                    + missed.open() + " open at the end");
        }
        if (stillRunning() != 0) {
            failures.add(stillRunning() + " of " + broadcasts.size() + " broadcast executions still running "
                    + Math.round(broadcastsEndedAfter) + " s after the churn stopped (not checked for receipts)");
        }
        if (!endedOtherwise().isEmpty()) {
            failures.add(endedOtherwise().size() + " broadcast executions did not succeed");
        }
        return failures;
    }

    boolean held() {
        return failures().isEmpty();
    }
}
