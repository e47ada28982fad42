package dev.wsfanout.cli;

import java.time.Duration;
import java.util.function.Consumer;

/** Polls a broadcast's audit until its execution ends, reporting each reading. */
public final class BroadcastFollower {

    private final AuditReader reader;
    private final Duration interval;

    public BroadcastFollower(AuditReader reader, Duration interval) {
        this.reader = reader;
        this.interval = interval;
    }

    /** @return the audit of the ended execution */
    public BroadcastAudit follow(String executionArn, Consumer<BroadcastAudit> progress) {
        while (true) {
            BroadcastAudit audit = reader.read(executionArn);
            progress.accept(audit);
            if (!audit.running()) {
                return audit;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(CliException.FAILED, "interrupted while following " + executionArn
                        + "; it keeps running: `wsfanout audit " + audit.broadcastId() + "`", e);
            }
        }
    }
}
