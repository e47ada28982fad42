package dev.wsfanout.plan;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The comparison table of docs/capacity-model.md: both designs, for each connection count and
 * account RPS quota (the burst scaled with it, half the RPS as by default), with the raise
 * sequence of each row, as a Markdown table. wsfanout's posting fleet is sized to each quota as
 * docs/deploy.md tells an operator to: {@link #sizedToQuota}.
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
        out.append("| design | connections | RPS / burst | completion | quota floor | bottleneck (time binding) "
                + "| 429s | delivery-queue messages | Lambda invocations | raise first |\n");
        out.append("|---|---:|---:|---:|---:|---|---:|---:|---:|---|\n");
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

    /**
     * The fleet an operator deploys for a quota: 90% of the RPS spread over
     * {@code shards x mapping maximum} invocations, each at most 1,000 posts/s (what 100 posts in
     * flight sustain at ~30 ms a post, with room to spare) — raising the mappings' maximum
     * concurrency before the per-invocation rate.
     */
    static SimulationParameters sizedToQuota(SimulationParameters p) {
        double budget = 0.9 * p.rps();
        int perShard = (int) Math.max(2, Math.ceil(budget / (p.shards() * 1000.0)));
        int postRate = (int) Math.floor(budget / (p.shards() * (double) perShard));
        return p.toBuilder().mappingMaxConcurrency(perShard).postRate(postRate).build();
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
        return String.format(Locale.ROOT, "| %s | %,d | %,.0f / %,d | %s | %.1f s | %s (%.0f%%) | %,d | %,d | %,d | %s |%n",
                r.design().label(), r.connections(), parameters.rps(), parameters.burst(), completion,
                plan.quotaFloorSeconds(), r.bottleneck().shortLabel(),
                100 * r.bottleneckShares().getOrDefault(r.bottleneck(), 0.0), r.throttled(), r.shardMessagesSent(),
                invocations, sequence);
    }
}
