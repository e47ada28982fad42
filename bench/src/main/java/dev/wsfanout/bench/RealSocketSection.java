package dev.wsfanout.bench;

import dev.wsfanout.stack.LocalDeployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sections 1-3 of the report on one stack and one set of real sockets held by client JVMs:
 * wsfanout through the state machine, the ceiling (a raw PostToConnection loop), and the
 * alternatives (hello world, seed), each broadcast repeated for medians.
 */
final class RealSocketSection {

    private final BenchSize size;
    private final Path folder;
    private final Progress progress;
    private final MemoryLog memory;

    RealSocketSection(BenchSize size, Path folder, Progress progress, MemoryLog memory) {
        this.size = size;
        this.folder = folder;
        this.progress = progress;
        this.memory = memory;
    }

    void run(MarkdownReport report) {
        InvocationMeter queryMeter = new InvocationMeter();
        progress.say("real sockets: starting the local stack");
        try (LocalDeployment stack = LocalDeployment.start(BenchStacks.options(size).queryHandlerDecorator(queryMeter::wrap).build())) {
            progress.say("real sockets: %,d clients in %d client JVMs connecting to %s", size.clients(), size.clientProcesses(),
                    stack.gateway().webSocketUri());
            long connectStart = System.nanoTime();
            try (ClientFleet fleet = ClientFleet.connect(stack.gateway().webSocketUri(), size.clients(), size.clientsPerProcess(), progress)) {
                double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                int n = fleet.size();
                BroadcastBench bench = new BroadcastBench(stack.gateway(), Optional.of(fleet), progress);

                List<DesignRun> wsfanout;
                List<StageBreakdown> stages = new ArrayList<>();
                try (WsfanoutDesign design = new WsfanoutDesign(stack)) {
                    wsfanout = repeat(bench, () -> design, n);
                    for (DesignRun run : wsfanout) {
                        stages.add(StageBreakdown.of(design.sfn(), design.executionArn(run.broadcastId()), stack.dynamo(),
                                stack.config(), run.broadcastId(), run.startMillis()));
                    }
                }
                Map<Integer, List<DesignRun>> ceilings = new LinkedHashMap<>();
                for (int c : size.ceilingConcurrencies()) {
                    try (CeilingLoop loop = new CeilingLoop(stack, c)) {
                        ceilings.put(c, repeat(bench, () -> loop, n));
                    }
                }
                List<DesignRun> helloWorld;
                try (HelloWorldDesign design = new HelloWorldDesign(stack)) {
                    helloWorld = repeat(bench, () -> design, n);
                }
                List<DesignRun> seed;
                try (SeedDesign design = new SeedDesign(stack)) {
                    seed = repeat(bench, () -> design, n);
                }
                memory.processes("after the real-socket broadcasts (" + Format.count(n) + " sockets)", fleet.pids());
                recordQueryMemory(queryMeter.drain(), Format.count(n) + " real sockets");

                writeRealSockets(report, n, connectSeconds, wsfanout, stages, stack);
                int best = bestConcurrency(ceilings);
                writeCeiling(report, wsfanout, ceilings, best);
                writeAlternatives(report, wsfanout, ceilings.get(best), helloWorld, seed);
            }
        }
    }

    private List<DesignRun> repeat(BroadcastBench bench, Supplier<BroadcastDesign> design, int expected) {
        List<DesignRun> runs = new ArrayList<>();
        for (int i = 1; i <= size.repetitions(); i++) {
            progress.say("real sockets: %s, broadcast %d of %d", design.get().name(), i, size.repetitions());
            runs.add(bench.run(design.get(), expected, size.designDeadline()));
        }
        return runs;
    }

    private void recordQueryMemory(List<InvocationMeter.Invocation> invocations, String when) {
        if (invocations.isEmpty()) {
            return;
        }
        memory.add("query handler, per invocation (10 partitions)", when,
                Format.mib(Stats.median(invocations.stream().map(InvocationMeter.Invocation::allocatedBytes).toList()))
                        + " allocated (median of " + invocations.size() + "), "
                        + Format.millis(Stats.median(invocations.stream().map(InvocationMeter.Invocation::millis).toList())) + " wall",
                "ThreadMXBean#getCurrentThreadAllocatedBytes on the invocation's thread; the SDK's Netty threads not included");
    }

    private void writeRealSockets(MarkdownReport report, int n, double connectSeconds, List<DesignRun> runs, List<StageBreakdown> stages,
                                  LocalDeployment stack) {
        report.heading(2, "1. Real sockets: wsfanout to " + Format.count(n) + " WebSocket clients");
        report.paragraph("%,d real WebSocket clients in %d separate client JVMs (`ClientProcess`, %,d sockets each) connected through "
                        + "the real `$connect` handler into dynalite in %.1f s. Each broadcast is a `StartExecution` of the broadcast "
                        + "state machine (the same `statemachine/broadcast.asl.json`, %,d partitions, Map concurrency %d) through the "
                        + "AWS SDK `SfnClient`; the clock starts just before that call and stops at the last receipt any client "
                        + "recorded (client JVM wall clock, same machine). Latency = receipt time minus the start.",
                n, size.clientProcesses(), size.clientsPerProcess(), connectSeconds, stack.config().partitionCount(),
                stack.options().mapMaxConcurrency());
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            DesignRun r = runs.get(i);
            long[] lat = r.receipts().latenciesAfter(r.startMillis());
            rows.add(List.of(Integer.toString(i + 1), Format.seconds(r.seconds()), Format.millis(Stats.percentile(lat, 50)),
                    Format.millis(Stats.percentile(lat, 95)), Format.millis(Stats.percentile(lat, 99)), Format.rate(r.deliveriesPerSecond()),
                    r.entryDoneMillis() < 0 ? "n/a" : Format.seconds((r.entryDoneMillis() - r.startMillis()) / 1000.0),
                    Format.count(r.receipts().received()), Format.count(r.receipts().missing()), Format.count(r.receipts().duplicates())));
        }
        rows.add(List.of("**median**", "**" + Format.seconds(medianSeconds(runs)) + "**", Format.millis(medianPercentile(runs, 50)),
                Format.millis(medianPercentile(runs, 95)), Format.millis(medianPercentile(runs, 99)),
                "**" + Format.rate(medianRate(runs)) + "**", "", "", "", ""));
        report.table(List.of("broadcast", "start → last receipt", "p50", "p95", "p99", "deliveries/s", "start → execution end",
                "clients reached", "missing", "duplicates"), rows);
        report.paragraph("The execution ends after the last delivery because the state machine confirms completion by polling "
                + "the broadcast record every %d s.", stack.options().pollInterval().toSeconds());
        report.paragraph("Where the time went (ms after the StartExecution call, from the execution history and the broadcast "
                + "record; the columns are explained in section 4):");
        report.table(StageBreakdown.HEADER, stages.stream().map(StageBreakdown::row).toList());
        report.save();
    }

    private int bestConcurrency(Map<Integer, List<DesignRun>> ceilings) {
        return ceilings.entrySet().stream().max(Comparator.comparingDouble(e -> medianRate(e.getValue()))).orElseThrow().getKey();
    }

    private void writeCeiling(MarkdownReport report, List<DesignRun> wsfanout, Map<Integer, List<DesignRun>> ceilings, int best) {
        report.heading(2, "2. The ceiling: a raw PostToConnection loop on the same gateway and sockets");
        report.paragraph("No design: the connection ids are read before the clock starts, then one loop posts to every id with the "
                + "SDK async client postMessage uses (`AwsClients.managementApi`, Netty, retries off), a fixed number of calls in "
                + "flight. This is as fast as anything can go through the @connections API of this gateway on this machine.");
        List<List<String>> rows = new ArrayList<>();
        ceilings.forEach((c, runs) -> rows.add(List.of(Integer.toString(c), Format.seconds(medianSeconds(runs)), Format.rate(medianRate(runs)),
                Format.millis(medianPercentile(runs, 99)), runs.stream().map(r -> Format.count(r.throttled())).toList().toString(),
                runs.stream().filter(DesignRun::complete).count() + " of " + runs.size(), c == best ? "best" : "")));
        report.table(List.of("calls in flight", "median start → last receipt", "median deliveries/s", "median p99",
                "429s per broadcast", "complete", ""), rows);
        report.paragraph("The gateway applies API Gateway's default account throttle (10,000/s, burst 5,000) here too, so a "
                + "loop that outruns it gets 429s; the ceiling does not retry, and a broadcast with 429s stays incomplete.");
        double ratio = medianRate(wsfanout) / medianRate(ceilings.get(best));
        report.paragraph("**pipeline / ceiling = %s** (median deliveries/s of wsfanout %s ÷ ceiling at %d in flight %s; "
                        + "in time: %s vs %s, the pipeline takes %s× the ceiling's time).",
                Format.ratio(ratio), Format.rate(medianRate(wsfanout)), best, Format.rate(medianRate(ceilings.get(best))),
                Format.seconds(medianSeconds(wsfanout)), Format.seconds(medianSeconds(ceilings.get(best))),
                Format.ratio(medianSeconds(wsfanout) / medianSeconds(ceilings.get(best))));
        report.save();
    }

    private void writeAlternatives(MarkdownReport report, List<DesignRun> wsfanout, List<DesignRun> ceiling,
                                   List<DesignRun> helloWorld, List<DesignRun> seed) {
        report.heading(2, "3. The alternatives on the same stack and sockets");
        report.paragraph("Implemented in the bench (`dev.wsfanout.bench`), not in the product, as local Lambda functions on the same "
                + "gateway, dynalite and ElasticMQ. **hello world** (`HelloWorldSendMessage`): the AWS sample's sendmessage function, "
                + "one invocation scans the connections table and posts to every id at once per scan page (`Promise.all`), with the "
                + "JavaScript SDK v2's limits (50 sockets, 3 retries). **seed** (`SeedDesign`): a swarm function sends one SQS message "
                + "per partition to one queue; a query function (mapping batch 10) sends ONE message PER CONNECTION over ten queues; "
                + "postMessage (ten mappings, batch 10, %d concurrent batches each, the concurrency Lambda starts SQS mappings with) "
                + "posts one message each, no pacing, whole-batch redelivery after the 30 s visibility timeout on failure. "
                + "Ratio = the design's median time ÷ wsfanout's (above 1 = slower than wsfanout).", SeedDesign.MAPPING_CONCURRENCY);
        double base = medianSeconds(wsfanout);
        List<List<String>> rows = new ArrayList<>();
        for (List<DesignRun> runs : List.of(wsfanout, ceiling, helloWorld, seed)) {
            DesignRun any = runs.get(0);
            long incomplete = runs.stream().filter(r -> !r.complete()).count();
            rows.add(List.of(any.design(), Format.seconds(medianSeconds(runs)), Format.rate(medianRate(runs)),
                    Format.millis(medianPercentile(runs, 50)), Format.millis(medianPercentile(runs, 99)),
                    Format.ratio(medianSeconds(runs) / base), incomplete == 0 ? "all" : incomplete + " of " + runs.size() + " INCOMPLETE"));
        }
        report.table(List.of("design", "median start → last receipt", "median deliveries/s", "median p50", "median p99",
                "time ÷ wsfanout", "complete"), rows);

        Map<String, long[]> cdf = new LinkedHashMap<>();
        Map<String, DesignRun> overTime = new LinkedHashMap<>();
        for (List<DesignRun> runs : List.of(wsfanout, ceiling, helloWorld, seed)) {
            DesignRun median = medianRun(runs);
            cdf.put(median.design(), median.receipts().latenciesAfter(median.startMillis()));
            overTime.put(median.design(), median);
        }
        Charts.latencyCdf(cdf, folder.resolve("latency-cdf.png"));
        Charts.deliveriesOverTime(overTime, "Deliveries over time, real sockets (median run of each design)",
                folder.resolve("deliveries-real-sockets.png"));
        report.image("latency CDF", "latency-cdf.png");
        report.image("deliveries over time, real sockets", "deliveries-real-sockets.png");
        report.save();
    }

    static double medianSeconds(List<DesignRun> runs) {
        return Stats.median(runs.stream().map(DesignRun::seconds).toList());
    }

    static double medianRate(List<DesignRun> runs) {
        return Stats.median(runs.stream().map(DesignRun::deliveriesPerSecond).toList());
    }

    private static double medianPercentile(List<DesignRun> runs, double p) {
        return Stats.median(runs.stream().map(r -> Stats.percentile(r.receipts().latenciesAfter(r.startMillis()), p)).toList());
    }

    static DesignRun medianRun(List<DesignRun> runs) {
        List<DesignRun> sorted = runs.stream().sorted(Comparator.comparingDouble(DesignRun::seconds)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
