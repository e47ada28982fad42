package dev.wsfanout.bench;

import dev.wsfanout.local.faults.AwsService;
import dev.wsfanout.local.faults.FaultCounters;
import dev.wsfanout.local.faults.FaultKind;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.faults.FaultRule;
import dev.wsfanout.local.gateway.FaultInjection;

import java.util.List;

/**
 * The faults of the chaos run that are a fixed rate: what the fault proxy injects into every
 * DynamoDB and SQS write, and what the gateway answers to posts. The others (Map reruns, crashed
 * invocations, closing connections) are events: {@link MapReruns}, {@link PostMessageCrashes},
 * {@link ConnectionChurn}.
 */
final class ChaosFaults {

    static final double THROTTLE = 0.05;
    static final double RESPONSE_LOST = 0.01;
    static final double GATEWAY_THROTTLE = 0.2;
    static final double GATEWAY_SERVER_ERROR = 0.02;

    /**
     * Every write path: the registry ($disconnect of the closing connections, gone rows), the
     * plan, the markers and the tallies of the ledger, the state machine's own writes; and every
     * chunk send of the query step and the retry chunks of postMessage. Reads are left alone: the
     * guarantee is about what is written, and FaultyLedgerTest covers throttled reads.
     */
    private static final List<Write> WRITES = List.of(
            new Write(AwsService.DYNAMODB, "PutItem"), new Write(AwsService.DYNAMODB, "UpdateItem"),
            new Write(AwsService.DYNAMODB, "DeleteItem"), new Write(AwsService.DYNAMODB, "BatchWriteItem"),
            new Write(AwsService.SQS, "SendMessage"), new Write(AwsService.SQS, "SendMessageBatch"));

    private record Write(AwsService service, String operation) {
    }

    private ChaosFaults() {
    }

    /**
     * 1% lost responses, then 5% throttles, on every write. The first rule that fires wins, so a
     * rule draws only for the requests the rules before it spared: lost responses come first to
     * keep the rarer and more telling fault at its full 1%; the throttles take 5% of the rest.
     */
    static FaultPlan aws(long seed) {
        FaultPlan.Builder plan = FaultPlan.builder().seed(seed);
        for (FaultKind kind : List.of(FaultKind.RESPONSE_LOST, FaultKind.THROTTLE)) {
            for (Write write : WRITES) {
                plan.rule(FaultRule.builder().service(write.service()).operation(write.operation()).fault(kind)
                        .probability(kind == FaultKind.RESPONSE_LOST ? RESPONSE_LOST : THROTTLE).build());
            }
        }
        return plan.build();
    }

    /** Write requests {@code counters} has seen: the requests the plan's rules draw for. */
    static long writesSeen(FaultCounters counters) {
        return WRITES.stream().mapToLong(w -> counters.seen(w.service(), w.operation())).sum();
    }

    /** 20% of posts answered 429, 2% answered 500; the gateway injects into posts only, never into DELETE. */
    static FaultInjection gateway(long seed) {
        return FaultInjection.builder().throttleFraction(GATEWAY_THROTTLE).serverErrorFraction(GATEWAY_SERVER_ERROR).seed(seed).build();
    }
}
