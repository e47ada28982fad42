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
        MessageSize size = plan.messageSize();
        out.append(String.format(Locale.ROOT,
                "  message        %,d bytes delivered: %d WebSocket frame(s) of 32 KB, billed as %,d API Gateway messages "
                        + "(32 KB units) for the broadcast%n",
                size.messageBytes(), size.frames(), plan.apiGatewayBilledMessages()));
        if (r.design() == Design.WSFANOUT) {
            out.append(String.format(Locale.ROOT,
                    "                 %,d ids per chunk; a chunk message is about %,d bytes (%d billed SQS request(s) per "
                            + "send, receive and delete), %d per SendMessageBatch; a broadcast-record read is %d RCU%n",
                    size.idsPerChunk(), size.chunkMessageBytes(), size.sqsBilledUnits(), size.entriesPerBatch(),
                    size.recordReadUnits()));
            out.append(String.format(Locale.ROOT,
                    "                 posts/s per postMessage invocation %,.0f (POST_RATE %,.0f), a post %.0f ms%n",
                    parameters.effectivePostRate(), parameters.postRate(), parameters.effectivePostLatencyMs()));
        }
        out.append("  size limits    (tightest first)\n");
        for (MessageSize.Load load : plan.sizeLimits()) {
            out.append(String.format(Locale.ROOT, "    %-36s %,12.0f of %,10.0f %-7s %4s  %s%n", load.limit(),
                    load.demand(), load.capacity(), load.unit(), percent(load.utilization()), load.source()));
        }
        if (!plan.sizeLimits().isEmpty()) {
            MessageSize.Load top = plan.sizeLimits().get(0);
            out.append(String.format(Locale.ROOT, "  size bottleneck %s at %s of its limit%s%n", top.limit(),
                    percent(top.utilization()), top.utilization() > 1 ? " (over it: this stage queues or is refused)" : ""));
        }
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
