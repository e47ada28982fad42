package dev.wsfanout.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** One benchmark run: the machine, the sections in order, the memory table, into one report folder. */
public final class BenchmarkRun {

    public static final String REPORT_FILE = "report.md";

    private final BenchSize size;
    private final Path folder;
    private final String command;
    private final Progress progress;

    public BenchmarkRun(BenchSize size, Path folder, String command, Progress progress) {
        this.size = size;
        this.folder = folder;
        this.command = command;
        this.progress = progress;
    }

    /** Runs every section and returns the report file. */
    public Path run() {
        MarkdownReport report = new MarkdownReport(folder.resolve(REPORT_FILE));
        MemoryLog memory = new MemoryLog();
        Instant started = Instant.now();
        report.heading(1, "wsfanout local benchmark, size " + size.name() + ", " + started);
        report.paragraph("Command (from the repository root):");
        report.code(command);
        report.paragraph("Machine at the start:");
        report.code(MachineDescription.describe());
        report.paragraph("Everything runs on this one machine: the gateway emulator, ElasticMQ, the local Step Functions, the "
                + "handlers and the bench in one JVM, dynalite in a Node.js process, the real WebSocket clients in %d client JVMs. "
                + "The machine is shared with other engineers' builds and tests, so every figure carries their noise; the load "
                + "average is printed at the start and the end. Figures are medians over %d broadcast(s) per design unless said "
                + "otherwise; speed is measured, never asserted.", size.clientProcesses(), size.repetitions());
        report.paragraph("POST_RATE: %s.", size.postRate() > 0 ? Format.count(size.postRate()) + " per postMessage execution environment "
                + "(`--post-rate`)" : "the local stack's default, each postMessage execution environment's share of the "
                + "gateway limit (10 shards × 2 environments: 500/s of 10,000/s; 100/s of the quota section's 2,000/s). On AWS "
                + "the fleet gets 90% of the account quota, which connects and other APIs share; the emulator's limit counts only posts");
        report.save();

        new RealSocketSection(size, folder, progress, memory).run(report);
        new VirtualScaleSection(size, folder, progress, memory).run(report);
        new QuotaSection(size, folder, progress).run(report);

        report.heading(2, "6. Memory");
        report.paragraph("The handlers run inside the stack's JVM, so a handler's own footprint is measured as heap allocated per "
                + "invocation (ThreadMXBean thread allocation counters), and the processes' footprint as resident memory from "
                + "/proc (VmRSS now, VmHWM = peak since the process started; the bench JVM runs all sections one after another, so "
                + "its peak only grows).");
        report.table(List.of("what", "when", "figure", "how measured"), memory.rows());
        report.paragraph("Run took %.1f min; load average at the end: %s.",
                (Instant.now().toEpochMilli() - started.toEpochMilli()) / 60_000.0, MachineDescription.loadAverage());
        report.save();
        return report.file();
    }
}
