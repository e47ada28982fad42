package dev.wsfanout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Resident memory of a process from {@code /proc/<pid>/status}: VmRSS now and VmHWM, the peak
 * since the process started. Linux only; elsewhere every figure is -1.
 *
 * @param rssKb  resident set now, KiB
 * @param peakKb peak resident set, KiB
 */
public record ProcessMemory(long rssKb, long peakKb) {

    public static ProcessMemory of(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            return new ProcessMemory(field(lines, "VmRSS:"), field(lines, "VmHWM:"));
        } catch (IOException | RuntimeException e) {
            return new ProcessMemory(-1, -1);
        }
    }

    public static ProcessMemory self() {
        return of(ProcessHandle.current().pid());
    }

    /** The dynalite (Node.js) process the stack started, if there is one. */
    public static Optional<ProcessMemory> dynalite() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("node") || c.endsWith("nodejs")).orElse(false))
                .findFirst().map(p -> of(p.pid()));
    }

    public static ProcessMemory sum(List<Long> pids) {
        long rss = 0;
        long peak = 0;
        for (long pid : pids) {
            ProcessMemory m = of(pid);
            rss += Math.max(0, m.rssKb());
            peak += Math.max(0, m.peakKb());
        }
        return new ProcessMemory(rss, peak);
    }

    public String describe() {
        return rssKb < 0 ? "n/a" : String.format("%,d MiB now, peak %,d MiB", rssKb / 1024, peakKb / 1024);
    }

    private static long field(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name)).findFirst()
                .map(l -> Long.parseLong(l.substring(name.length()).trim().split("\\s+")[0])).orElse(-1L);
    }
}
