package dev.wsfanout.bench;

import dev.wsfanout.stack.LocalDeployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Section 5: the gateway's account throttle set to a budget (burst = half the rate, API Gateway's
 * own ratio of 10,000/s to 5,000), and each design broadcast to the same virtual connections
 * under it: how much of the budget it holds, how many 429s it provokes, whether it completes.
 */
final class QuotaSection {

    /** One broadcast per design: the slow designs take minutes under a quota, and the run must fit a session. */
    private static final int BROADCASTS_PER_DESIGN = 1;

    private final BenchSize size;
    private final Path folder;
    private final Progress progress;

    QuotaSection(BenchSize size, Path folder, Progress progress) {
        this.size = size;
        this.folder = folder;
        this.progress = progress;
    }

    void run(MarkdownReport report) {
        int budget = size.quotaRatePerSecond();
        progress.say("quota: a fresh local stack with the gateway limited to %,d/s", budget);
        try (LocalDeployment stack = LocalDeployment.start(BenchStacks.options(size, budget, budget / 2).build())) {
            int registered = stack.gateway().registerVirtualConnections(size.quotaConnections()).size();
            progress.say("quota: %,d virtual connections registered", registered);
            BroadcastBench bench = new BroadcastBench(stack.gateway(), Optional.empty(), progress);
            List<Function<LocalDeployment, BroadcastDesign>> designs = List.of(WsfanoutDesign::new, HelloWorldDesign::new, SeedDesign::new);
            List<DesignRun> runs = new ArrayList<>();
            for (Function<LocalDeployment, BroadcastDesign> factory : designs) {
                try (BroadcastDesign design = factory.apply(stack)) {
                    for (int i = 1; i <= BROADCASTS_PER_DESIGN; i++) {
                        progress.say("quota: %s, broadcast %d of %d", design.name(), i, BROADCASTS_PER_DESIGN);
                        runs.add(bench.run(design, registered, size.designDeadline()));
                    }
                }
            }
            write(report, budget, registered, runs, stack.config().postRate());
        }
    }

    private void write(MarkdownReport report, int budget, int registered, List<DesignRun> runs, int postRate) {
        report.heading(2, "5. Quota: the gateway limited to " + Format.count(budget) + " posts/s");
        report.paragraph("The gateway's @connections throttle set to %,d/s with a burst of %,d (a token bucket over all management "
                + "calls; beyond it 429 LimitExceededException), %,d virtual connections, each design in turn, %d broadcast(s) each, "
                + "at most %d s per broadcast. \"Held\" = deliveries/s between 10%% and 90%% of the deliveries ÷ the budget. "
                + "wsfanout runs the local stack's defaults: POST_RATE %,d per postMessage execution environment, the "
                + "budget over the 20 environments. A design that cannot reach the budget on this "
                + "machine at all shows a low share without a single 429: compare with its unthrottled rate in sections 1 and 4.",
                budget, budget / 2, registered, BROADCASTS_PER_DESIGN, size.designDeadline().toSeconds(), postRate);
        List<List<String>> rows = new ArrayList<>();
        for (DesignRun r : runs) {
            rows.add(List.of(r.design(), Format.count(r.delivered()) + " / " + Format.count(r.expected()),
                    r.complete() ? Format.seconds(r.seconds())
                            : "INCOMPLETE: last delivery at " + Format.seconds(r.seconds()) + ", none after it",
                    Format.rate(r.steadyRate()), Format.percent(r.steadyRate() / budget), Format.count(r.throttled()),
                    Format.count(r.last().posts()), r.entryResult().length() > 80 ? r.entryResult().substring(0, 80) + "…" : r.entryResult()));
        }
        report.table(List.of("design", "delivered", "start → last delivery", "steady deliveries/s", "held of budget", "429s",
                "posts sent", "entry point returned"), rows);
        Map<String, DesignRun> overTime = new LinkedHashMap<>();
        for (DesignRun r : runs) {
            overTime.putIfAbsent(r.design(), r);
        }
        Charts.deliveriesOverTime(overTime, "Deliveries over time under a " + Format.count(budget) + "/s quota (first broadcast of each design)",
                folder.resolve("deliveries-quota.png"));
        report.image("deliveries over time under the quota", "deliveries-quota.png");
        report.save();
    }
}
