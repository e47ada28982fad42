package dev.wsfanout.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the report says about the machine: processors, memory, Java, the open-files limit, the load. */
public final class MachineDescription {

    private MachineDescription() {
    }

    public static String describe() {
        return String.join("\n",
                "nproc:        " + Runtime.getRuntime().availableProcessors() + " (" + firstLine("/proc/cpuinfo", "model name") + ")",
                "memory:       " + firstLine("/proc/meminfo", "MemTotal"),
                "ulimit -n:    " + command("sh", "-c", "ulimit -n"),
                "load average: " + loadAverage(),
                "source:       " + sourceVersion(),
                "os:           " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                "java -version:",
                command(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version"));
    }

    /**
     * The commit the checkout was at and how many files differed from it: the bench jar is built
     * from the working tree, which other engineers may be changing at the same time.
     */
    static String sourceVersion() {
        String commit = command("git", "rev-parse", "--short", "HEAD");
        String changed = command("sh", "-c", "git status --porcelain --untracked-files=no | wc -l");
        return "git " + commit + " (" + changed.strip() + " tracked files modified in the working tree when the run started)";
    }

    /** /proc/loadavg's first three fields: the 1, 5 and 15 minute load averages. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String firstLine(String file, String prefix) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static String command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "n/a (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a";
        }
    }
}
