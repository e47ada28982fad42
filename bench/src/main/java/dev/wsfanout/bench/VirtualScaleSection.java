package dev.wsfanout.bench;

import dev.wsfanout.local.gateway.WebSocketGateway;
import dev.wsfanout.stack.LocalDeployment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Section 4: wsfanout at scale on virtual connections (no sockets; each goes through the real
 * $connect handler into dynalite), the full pipeline with the state machine, and where the time
 * goes per stage. Registration is measured first; when the target would not fit the run's
 * registration budget, the largest size that fits is run instead and the report says so.
 * Also the postMessage calibration of the capacity model.
 */
final class VirtualScaleSection {

    private static final int REGISTRATION_STEP = 20_000;
    private static final int WARM_UP = PostMessageCalibration.CHUNKS * PostMessageCalibration.CHUNK_SIZE;
    private static final int CALIBRATION_INVOCATIONS = 5;
    /** The capacity model's defaults (docs/capacity-model.md): --post-latency-ms 30 with POST_CONCURRENCY 100. */
    private static final double MODEL_POST_LATENCY_MS = 30;

    private final BenchSize size;
    private final Path folder;
    private final Progress progress;
    private final MemoryLog memory;

    VirtualScaleSection(BenchSize size, Path folder, Progress progress, MemoryLog memory) {
        this.size = size;
        this.folder = folder;
        this.progress = progress;
        this.memory = memory;
    }

    void run(MarkdownReport report) {
        InvocationMeter queryMeter = new InvocationMeter();
        progress.say("virtual scale: starting a fresh local stack");
        try (LocalDeployment stack = LocalDeployment.start(BenchStacks.options(size).queryHandlerDecorator(queryMeter::wrap)
                .deliveryDeadline(Duration.ofMinutes(30)).build())) {
            WebSocketGateway gateway = stack.gateway();
            int target = size.virtualConnections();
            // The first registrations run cold (JIT, connection pools); they are not part of the measured rate.
            long t0 = System.nanoTime();
            List<String> calibrationIds = new ArrayList<>(gateway.registerVirtualConnections(WARM_UP));
            int probe = Math.max(1_000, Math.min(10_000, target / 20));
            long probeStart = System.nanoTime();
            gateway.registerVirtualConnections(probe);
            double probeSeconds = (System.nanoTime() - probeStart) / 1e9;
            double rate = probe / probeSeconds;
            double projected = target / rate;
            int actual = target;
            if (projected > size.registrationBudget().toSeconds()) {
                actual = (int) Math.max(WARM_UP + probe, Math.floor(rate * size.registrationBudget().toSeconds() / 10_000) * 10_000);
            }
            progress.say("virtual scale: %,d registered in %.1f s = %,.0f/s; %,d would take %.0f s; registering %,d",
                    probe, probeSeconds, rate, target, projected, actual);
            int registered = WARM_UP + probe;
            while (registered < actual) {
                int step = Math.min(REGISTRATION_STEP, actual - registered);
                registered += gateway.registerVirtualConnections(step).size();
                progress.say("virtual scale: %,d of %,d registered (%.0f s)", registered, actual, (System.nanoTime() - t0) / 1e9);
            }
            double registrationSeconds = (System.nanoTime() - t0) / 1e9;
            queryMeter.drain();

            BroadcastBench bench = new BroadcastBench(gateway, Optional.empty(), progress);
            Duration deadline = Duration.ofSeconds(Math.max(size.designDeadline().toSeconds(), registered / 500L));
            List<DesignRun> runs = new ArrayList<>();
            List<StageBreakdown> stages = new ArrayList<>();
            try (WsfanoutDesign design = new WsfanoutDesign(stack)) {
                for (int i = 1; i <= size.repetitions(); i++) {
                    progress.say("virtual scale: wsfanout to %,d, broadcast %d of %d", registered, i, size.repetitions());
                    DesignRun run = bench.run(design, registered, deadline);
                    runs.add(run);
                    stages.add(StageBreakdown.of(design.sfn(), design.executionArn(run.broadcastId()), stack.dynamo(), stack.config(),
                            run.broadcastId(), run.startMillis()));
                }
            }
            List<InvocationMeter.Invocation> queries = queryMeter.drain();
            memory.processes("after the virtual-connection broadcasts (" + Format.count(registered) + " connections)", List.of());
            if (!queries.isEmpty()) {
                memory.add("query handler, per invocation (10 partitions)", Format.count(registered) + " virtual connections",
                        Format.mib(Stats.median(queries.stream().map(InvocationMeter.Invocation::allocatedBytes).toList()))
                                + " allocated (median of " + queries.size() + "), "
                                + Format.millis(Stats.median(queries.stream().map(InvocationMeter.Invocation::millis).toList())) + " wall",
                        "ThreadMXBean#getCurrentThreadAllocatedBytes on the invocation's thread; the SDK's Netty threads not included");
            }
            progress.say("virtual scale: postMessage calibration, %d invocations of 10 chunks x 100", CALIBRATION_INVOCATIONS);
            List<PostMessageCalibration.Result> calibration = PostMessageCalibration.run(stack, calibrationIds, CALIBRATION_INVOCATIONS);
            for (PostMessageCalibration.Result c : calibration) {
                memory.add("postMessage handler, per invocation (" + c.label() + ", 1,000 posts)", "isolated, one at a time",
                        Format.mib(Stats.median(c.handlerThreadBytes())) + " on its own threads; " + Format.mib(Stats.median(c.jvmBytes()))
                                + " JVM-wide",
                        "ThreadMXBean#getThreadAllocatedBytes deltas: the invocation and post-chunk threads; all threads (includes the gateway's side of the posts)");
            }
            write(report, target, probe, probeSeconds, rate, projected, registered, registrationSeconds, runs, stages, queries, calibration, stack);
        }
    }

    private void write(MarkdownReport report, int target, int probe, double probeSeconds, double rate, double projected, int registered,
                       double registrationSeconds, List<DesignRun> runs, List<StageBreakdown> stages,
                       List<InvocationMeter.Invocation> queries, List<PostMessageCalibration.Result> calibration, LocalDeployment stack) {
        report.heading(2, "4. Scale: wsfanout to " + Format.count(registered) + " virtual connections, full pipeline");
        report.paragraph("Virtual connections have no socket; each is registered through the real `$connect` handler (a PutItem "
                + "and an UpdateItem in dynalite), and posts to them are answered 200 by the gateway and counted. "
                + "Registration measured first (after %,d warm-up registrations): %,d in %.1f s = **%,.0f registrations/s**, so %,d would take **%.0f s (%.1f min)**.",
                WARM_UP, probe, probeSeconds, rate, target, projected, projected / 60);
        if (registered < target) {
            report.paragraph("**This run used %,d connections, not %,d**: registering %,d would not fit this run's registration budget "
                            + "of %d s on this machine. The %,d-connection run is the documented command `BenchMain --size full "
                            + "--registration-budget-seconds %d` (about %.0f min of registration alone at the rate above).",
                    registered, target, target, size.registrationBudget().toSeconds(), target, (long) Math.ceil(projected * 1.2),
                    projected / 60);
        }
        report.paragraph("Registered %,d in %.1f s in total. Each broadcast: StartExecution through `SfnClient`, until the gateway "
                + "had accepted a post for every connection.", registered, registrationSeconds);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            DesignRun r = runs.get(i);
            StageBreakdown s = stages.get(i);
            rows.add(List.of(Integer.toString(i + 1), Format.seconds(r.seconds()), Format.rate(r.deliveriesPerSecond()),
                    Format.millis(s.mapRunStarted()), Format.millis(s.map()), Format.millis(s.toFirstDelivery()),
                    Format.millis(s.posting()), Format.millis(s.completionPoll()), Format.millis(s.executionSucceeded()),
                    Format.count(r.throttled()), r.complete() ? "yes" : "INCOMPLETE " + Format.count(r.delivered())));
        }
        rows.add(List.of("**median**", "**" + Format.seconds(RealSocketSection.medianSeconds(runs)) + "**",
                "**" + Format.rate(RealSocketSection.medianRate(runs)) + "**",
                Format.millis(Stats.median(stages.stream().map(StageBreakdown::mapRunStarted).toList())),
                Format.millis(Stats.median(stages.stream().map(StageBreakdown::map).toList())),
                Format.millis(Stats.median(stages.stream().map(StageBreakdown::toFirstDelivery).toList())),
                Format.millis(Stats.median(stages.stream().map(StageBreakdown::posting).toList())),
                Format.millis(Stats.median(stages.stream().map(StageBreakdown::completionPoll).toList())),
                Format.millis(Stats.median(stages.stream().map(StageBreakdown::executionSucceeded).toList())), "", ""));
        report.table(List.of("broadcast", "start → last delivery", "deliveries/s", "start → MapRunStarted", "Map (MapRunStarted → Succeeded)",
                "MapRunStarted → first post (query + queue wait)", "first → last post", "last post → execution end (completion poll)",
                "start → execution end", "429s", "complete"), rows);
        if (!queries.isEmpty()) {
            double[] ms = queries.stream().mapToDouble(InvocationMeter.Invocation::millis).toArray();
            report.paragraph("Query step: %,d invocations of 10 partitions each over the %d broadcasts: median %s, p99 %s, max %s "
                            + "per invocation (read the partitions' ids from the index, send the chunks to the shards).",
                    queries.size(), runs.size(), Format.millis(Stats.percentile(ms, 50)), Format.millis(Stats.percentile(ms, 99)),
                    Format.millis(Stats.percentile(ms, 100)));
        }
        report.paragraph("Times come from the execution history (`GetExecutionHistory`: ExecutionStarted, MapRunStarted, "
                + "MapRunSucceeded, ExecutionSucceeded) and the broadcast record's firstDeliveryAt/lastDeliveryAt; posting overlaps "
                + "the Map, since postMessage drains the shards while the query step still fills them.");
        Map<String, DesignRun> overTime = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            overTime.put("wsfanout #" + (i + 1), runs.get(i));
        }
        Charts.deliveriesOverTime(overTime, "Deliveries over time, " + Format.count(registered) + " virtual connections",
                folder.resolve("deliveries-virtual.png"));
        report.image("deliveries over time, virtual connections", "deliveries-virtual.png");

        report.heading(3, "Per-invocation postMessage throughput (capacity model calibration)");
        report.paragraph("postMessage invoked directly, one invocation at a time, each a full batch of 10 chunks × 100 virtual "
                + "connections (docs/capacity-model.md, *Calibrating*). The capacity model assumes `--post-latency-ms %.0f`, i.e. "
                + "POST_CONCURRENCY 100 ÷ 30 ms = %,.0f posts/s per invocation before the invocation's POST_RATE caps it (the "
                + "model's `--post-rate` default: 1,000). The first row is this run's stack function (POST_RATE %,d, see the "
                + "header), the second the same handler with POST_RATE at its maximum, so only the handler's own cost binds.",
                MODEL_POST_LATENCY_MS, 100 * 1000 / MODEL_POST_LATENCY_MS, stack.config().postRate());
        List<List<String>> rows2 = new ArrayList<>();
        for (PostMessageCalibration.Result c : calibration) {
            rows2.add(List.of(c.label(), Integer.toString(c.postRate()), Integer.toString(c.postConcurrency()),
                    Format.millis(Stats.median(c.millis())), Format.rate(c.postsPerSecond()),
                    String.format(java.util.Locale.ROOT, "%.1f", 1000.0 * c.postConcurrency() / c.postsPerSecond())));
        }
        report.table(List.of("function", "POST_RATE", "POST_CONCURRENCY", "median invocation (1,000 posts)", "posts/s per invocation",
                "implied --post-latency-ms"), rows2);
        report.paragraph("Locally the round trip is loopback's on a shared 2-core machine, so the unbound figure is the handler's "
                + "own cost per post here (SDK signing and marshalling, the ledger and tally writes to dynalite), not AWS's in-Region "
                + "latency; the model's 30 ms stays an assumption until measured on AWS.");
        report.save();
    }
}
