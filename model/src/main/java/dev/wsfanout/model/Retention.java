package dev.wsfanout.model;

import java.time.Duration;

/**
 * How long a broadcast's records live before DynamoDB's TTL may delete them ({@code expiresAt},
 * epoch seconds, on the broadcasts and deliveries tables): long enough to audit a broadcast or
 * re-run a failed one, short enough that the tables do not grow forever. The execution history
 * keeps the audit for Step Functions' 90 days.
 */
public final class Retention {

    /** A week. statemachine/broadcast.asl.json writes it into CreateBroadcast as a literal (cdk's DefinitionContractTest compares them). */
    public static final Duration RECORDS = Duration.ofDays(7);

    private Retention() {
    }
}
