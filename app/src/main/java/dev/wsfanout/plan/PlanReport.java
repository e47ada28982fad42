package dev.wsfanout.plan;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable report of one design's plan. */
final class PlanReport {

    private PlanReport() {
    }

    static String render(SimulationParameters parameters, DesignPlan plan) {
        SimulationResult r = plan.result();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "%s: %,d connections, API Gateway %,.0f RPS (burst %,d), Lambda concurrency %,d%n",
                r.design().label(), r.connections(), parameters.rps(), parameters.burst(), parameters.lambdaConcurrency()));
        if (r.finished()) {
            out.append(String.format(Locale.ROOT, "  completion     %.1f s (last delivery at %.1f s%s)%n",
                    r.completionSeconds(), r.lastDeliverySeconds(),
                    r.design() == Design.WSFANOUT ? "; the state machine's next completion poll sees it" : ""));
        } else {
            out.append(String.format(Locale.ROOT, "  completion     not within --max-seconds %.0f (%,d of %,d delivered)%n",
                    r.completionSeconds(), r.delivered(), r.connections()));
        }
        out.append(String.format(Locale.ROOT, "  quota floor    %.1f s ((connections - burst) / RPS)%n", plan.quotaFloorSeconds()));
        out.append(String.format(Locale.ROOT, "  bottleneck     %s, binding %s of the time%n",
                r.bottleneck().label(), percent(r.bottleneckShares().getOrDefault(r.bottleneck(), 0.0))));
        out.append("  time binding   ").append(shares(r.bottleneckShares())).append('\n');
        out.append(String.format(Locale.ROOT,
                "  posts          %,d delivered, %,d failed, %,d answered 429, %,d duplicate posts%n",
                r.delivered(), r.failed(), r.throttled(), r.duplicatePosts()));
        out.append(String.format(Locale.ROOT, "  SQS            %,d messages to the delivery queues, %,d SendMessageBatch calls%n",
                r.shardMessagesSent(), r.sendMessageBatchCalls()));
        out.append(String.format(Locale.ROOT, "  Lambda         %s; %,d cold starts, peak concurrency %,d, %,d throttled invocations%n",
                r.invocations().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")),
                r.coldStarts(), r.peakLambdaConcurrency(), r.lambdaThrottles()));
        out.append("  deliveries per second\n");
        out.append("    |").append(RateChart.sparkline(r.deliveriesPerSecond())).append("|\n");
        out.append(RateChart.table(r.deliveriesPerSecond(), r.throttledPerSecond()));
        out.append("  what to raise first\n");
        int number = 1;
        for (RaiseStep step : plan.raiseFirst()) {
            out.append(String.format(Locale.ROOT, "    %d. %s%n", number++, describe(step)));
        }
        return out.toString();
    }

    static String describe(RaiseStep step) {
        if (!step.raised()) {
            return String.format(Locale.ROOT, "%s: %s", step.resource().label(), step.resource().advice());
        }
        return String.format(Locale.ROOT, "%s: %s -> %s: %.1f s -> %.1f s, then %s binds",
                step.resource().label(), step.from(), step.to(), step.completionBeforeSeconds(),
                step.completionAfterSeconds(), step.nextBottleneck().shortLabel());
    }

    private static String percent(double share) {
        return share < 0.005 ? "<1%" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static String shares(Map<Resource, Double> shares) {
        return shares.entrySet().stream()
                .sorted(Map.Entry.<Resource, Double>comparingByValue(Comparator.reverseOrder()))
                .map(e -> e.getKey().shortLabel() + " " + percent(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
