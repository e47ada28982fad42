package dev.wsfanout.bench;

import dev.wsfanout.local.faults.AwsService;
import dev.wsfanout.local.faults.FaultKind;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.faults.FaultRule;
import dev.wsfanout.model.FanoutConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The registry soak's DynamoDB faults: every kind, on the writes (and the count read) of the
 * connection lifecycle only — the rows' PutItem and DeleteItem in the connections table, the
 * counts' UpdateItem and the assigner's BatchGetItem in the partitions table — so what is tested
 * is the registry, not the broadcasts that run meanwhile.
 */
final class RegistryFaults {

    /**
     * The hold of every lifecycle operation's timeouts: shorter than the $connect timeout, so the
     * SDK's retry after the held connection is closed still ends in time, as on AWS.
     */
    static final Duration HOLD = Duration.ofSeconds(3);
    /**
     * Longer than the soak's $connect timeout: the row's PutItem held this long makes $connect give
     * up (its writes are bounded by the time left) and the upgrade is refused with 502. Every
     * injection of {@link #connectTimeoutRule} is one such refusal: the injected $connect timeouts.
     */
    static final Duration CONNECT_HOLD = RegistrySoak.CONNECT_TIMEOUT.plusSeconds(2);
    /** The extra timeouts on the row's PutItem: the $connect timeouts of the soak. */
    static final double CONNECT_TIMEOUT = 0.02;
    /** Per kind, on every lifecycle operation; the first rule that fires wins, so each takes its share of what the ones before spared. */
    static final Map<FaultKind, Double> RATES = Map.of(FaultKind.TIMEOUT, 0.01, FaultKind.RESPONSE_LOST, 0.02,
            FaultKind.SERVER_ERROR, 0.02, FaultKind.THROTTLE, 0.03);
    private static final List<FaultKind> ORDER = List.of(FaultKind.TIMEOUT, FaultKind.RESPONSE_LOST, FaultKind.SERVER_ERROR,
            FaultKind.THROTTLE);

    private record Operation(String name, String table) {
    }

    private RegistryFaults() {
    }

    static FaultPlan plan(long seed, FanoutConfig config) {
        List<Operation> lifecycle = List.of(new Operation("PutItem", config.connectionsTable()),
                new Operation("DeleteItem", config.connectionsTable()), new Operation("UpdateItem", config.partitionsTable()),
                new Operation("BatchGetItem", config.partitionsTable()));
        FaultPlan.Builder plan = FaultPlan.builder().seed(seed);
        plan.rule(connectTimeoutRule(config));
        for (FaultKind kind : ORDER) {
            for (Operation operation : lifecycle) {
                plan.rule(rule(operation, kind, RATES.get(kind)));
            }
        }
        return plan.build();
    }

    /** The row's PutItem held past the $connect timeout: its injections are the injected $connect timeouts. */
    static FaultRule connectTimeoutRule(FanoutConfig config) {
        return FaultRule.builder().service(AwsService.DYNAMODB).operation("PutItem").resource(config.connectionsTable())
                .fault(FaultKind.TIMEOUT).probability(CONNECT_TIMEOUT).hold(CONNECT_HOLD).build();
    }

    /** The rates, for the output: {@code timeout 1% (+2% on PutItem), ...}. */
    static String describe() {
        StringBuilder text = new StringBuilder();
        for (FaultKind kind : ORDER) {
            text.append(text.length() == 0 ? "" : ", ").append(kind.jsonName()).append(' ').append(Format.percent(RATES.get(kind)));
            if (kind == FaultKind.TIMEOUT) {
                text.append(" held ").append(HOLD.toSeconds()).append(" s (+").append(Format.percent(CONNECT_TIMEOUT))
                        .append(" on the row's PutItem held ").append(CONNECT_HOLD.toSeconds()).append(" s: $connect timeouts)");
            }
        }
        return text.toString();
    }

    private static FaultRule rule(Operation operation, FaultKind kind, double probability) {
        FaultRule.Builder rule = FaultRule.builder().service(AwsService.DYNAMODB).operation(operation.name())
                .resource(operation.table()).fault(kind).probability(probability);
        return (kind == FaultKind.TIMEOUT ? rule.hold(HOLD) : rule).build();
    }
}
