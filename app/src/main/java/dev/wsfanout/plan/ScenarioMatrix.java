package dev.wsfanout.plan;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The comparison table of docs/capacity-model.md: both designs, for each connection count and
 * account RPS quota (the burst scaled with it, half the RPS as by default), with the raise
 * sequence of each row, as a Markdown table. wsfanout's posting fleet is sized to each quota
 * ({@link #sizedToQuota}), and each row says which fleet and how close it came to the quota floor.
 */
final class ScenarioMatrix {

    static final List<Integer> CONNECTIONS = List.of(300_000, 600_000);
    static final List<Double> RPS = List.of(10_000.0, 50_000.0, 100_000.0);

    private final int raiseSteps;

    ScenarioMatrix(int raiseSteps) {
        this.raiseSteps = raiseSteps;
    }

    String render(SimulationParameters base, List<Design> designs) {
        StringBuilder out = new StringBuilder();
        out.append("| design | connections | RPS / burst | POST_RATE, fleet | completion | quota floor | of floor "
                + "| bottleneck (time binding) | 429s | delivery-queue messages | Lambda invocations | raise first |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|\n");
        for (Design design : designs) {
            for (int connections : CONNECTIONS) {
                for (double rps : RPS) {
                    SimulationParameters parameters = sizedToQuota(base.toBuilder()
                            .connections(connections).rps(rps).burst((int) (rps / 2)).build());
                    out.append(row(DesignPlan.of(parameters, design, raiseSteps), parameters));
                }
            }
        }
        return out.toString();
    }

    /** Of the quota, what the fleet's POST_RATE takes: the handlers' default, 9,000 of the default 10,000 RPS. */
    static final double BUDGET_SHARE_OF_QUOTA = 0.9;
    /**
     * Invocations per invocation the budget needs at full capacity. An invocation holds its share
     * from its first DynamoDB write to its last, and a renewal lags the roster by up to 500 ms:
     * with twice the invocations the budget needs, each posts at about half its capacity, and the
     * fleet spends its budget (the model: 82% of it at 1.5x, all of it from 1.8x on, 100,000 RPS).
     */
    static final double FLEET_HEADROOM = 2.0;

    /**
     * The fleet an operator deploys for a quota: POST_RATE at {@link #BUDGET_SHARE_OF_QUOTA} of the
     * RPS, and per shard enough invocations that those posting carry it with
     * {@link #FLEET_HEADROOM}, at what one invocation sustains
     * ({@link SimulationParameters#postCapacityPerInvocation}: POST_CONCURRENCY over a post's round trip).
     */
    static SimulationParameters sizedToQuota(SimulationParameters p) {
        double budget = BUDGET_SHARE_OF_QUOTA * p.rps();
        SimulationParameters budgeted = p.toBuilder().postRate(budget).build();
        double invocations = FLEET_HEADROOM * budget / budgeted.postCapacityPerInvocation();
        int perShard = (int) Math.max(2, Math.ceil(invocations / p.shards()));
        return budgeted.toBuilder().mappingMaxConcurrency(Math.min(p.esmMaxConcurrency(), perShard)).build();
    }

    private static String row(DesignPlan plan, SimulationParameters parameters) {
        SimulationResult r = plan.result();
        String completion = r.finished()
                ? String.format(Locale.ROOT, "%.1f s", r.completionSeconds())
                : String.format(Locale.ROOT, "> %.0f s", r.completionSeconds());
        String sequence = plan.raiseFirst().stream()
                .map(step -> step.raised() ? step.resource().shortLabel() : step.resource().shortLabel() + " (stop)")
                .collect(Collectors.joining(" -> "));
        long invocations = r.invocations().values().stream().mapToLong(Long::longValue).sum();
        String fleet = plan.result().design() == Design.WSFANOUT
                ? String.format(Locale.ROOT, "%,.0f, %d x %d", parameters.postRate(), parameters.shards(),
                        parameters.shardMappingMaxConcurrency())
                : "unpaced";
        return String.format(Locale.ROOT, "| %s | %,d | %,.0f / %,d | %s | %s | %.1f s | %.0f%% | %s (%.0f%%) | %,d | %,d | %,d | %s |%n",
                r.design().label(), r.connections(), parameters.rps(), parameters.burst(), fleet, completion,
                plan.quotaFloorSeconds(), 100 * plan.quotaFloorSeconds() / r.completionSeconds(), r.bottleneck().shortLabel(),
                100 * r.bottleneckShares().getOrDefault(r.bottleneck(), 0.0), r.throttled(), r.shardMessagesSent(),
                invocations, sequence);
    }
}
