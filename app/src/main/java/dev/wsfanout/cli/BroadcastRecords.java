package dev.wsfanout.cli;

import dev.wsfanout.fanout.BroadcastTallies;
import dev.wsfanout.model.AuditReport;
import dev.wsfanout.model.BroadcastTally;

import java.util.Optional;

/** Reads a broadcast's counts from the local stack's tables (the CLI does not read them on AWS). */
public final class BroadcastRecords {

    private final BroadcastTallies tallies;

    public BroadcastRecords(BroadcastTallies tallies) {
        this.tallies = tallies;
    }

    public Optional<BroadcastRecord> read(String broadcastId) {
        return tallies.read(broadcastId).map(s -> new BroadcastRecord(s.tally(), s.partitions(), s.firstDeliveryAt(), s.lastDeliveryAt()));
    }

    /** The counts as the audit function reported them (on AWS, from a TaskSucceeded event of the execution history). */
    static BroadcastRecord fromReport(AuditReport report) {
        return new BroadcastRecord(new BroadcastTally(report.queued(), report.delivered(), report.gone(), report.failed(),
                report.retried()), report.partitions(), report.firstDeliveryAt(), report.lastDeliveryAt());
    }
}
