package dev.wsfanout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How busy the whole machine's processors were, second by second, from Linux's /proc/stat: every
 * process counts (the local stacks' Node and Java processes alike), which is what cells on one
 * machine share and cells on AWS do not. Where /proc/stat cannot be read, nothing is recorded and
 * every figure is empty.
 */
final class MachineCpu implements AutoCloseable {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** Busy fraction (0..1) of the machine in each epoch second. */
    private final Map<Long, Double> busyBySecond = new ConcurrentHashMap<>();
    private final Thread sampler;

    private MachineCpu() {
        sampler = new Thread(this::sample, "machine-cpu");
        sampler.setDaemon(true);
    }

    static MachineCpu start() {
        MachineCpu cpu = new MachineCpu();
        cpu.sampler.start();
        return cpu;
    }

    /** The mean busy fraction over the epoch seconds from {@code firstMillis} to {@code lastMillis}. */
    OptionalDouble busyBetween(long firstMillis, long lastMillis) {
        double sum = 0;
        int seconds = 0;
        for (long s = firstMillis / 1000; s <= lastMillis / 1000; s++) {
            Double busy = busyBySecond.get(s);
            if (busy != null) {
                sum += busy;
                seconds++;
            }
        }
        return seconds == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / seconds);
    }

    /** The busy fraction in the epoch second {@code second}, if it was sampled. */
    OptionalDouble busyIn(long second) {
        Double busy = busyBySecond.get(second);
        return busy == null ? OptionalDouble.empty() : OptionalDouble.of(busy);
    }

    private void sample() {
        long[] previous = read();
        while (previous != null && !Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1000 - System.currentTimeMillis() % 1000);
            } catch (InterruptedException e) {
                return;
            }
            long[] now = read();
            if (now == null) {
                return;
            }
            long total = now[0] - previous[0];
            long idle = now[1] - previous[1];
            if (total > 0) {
                // The ticks counted up to this second's start belong to the second before it.
                busyBySecond.put(System.currentTimeMillis() / 1000 - 1, (double) (total - idle) / total);
            }
            previous = now;
        }
    }

    /** {total ticks, idle + iowait ticks} of the "cpu" line, or null where it cannot be read. */
    static long[] read() {
        try {
            return parse(Files.readAllLines(PROC_STAT).get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The "cpu user nice system idle iowait irq softirq steal ..." line: guest time is already in user. */
    static long[] parse(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (!fields[0].equals("cpu") || fields.length < 5) {
            throw new IllegalArgumentException("not /proc/stat's cpu line: " + cpuLine);
        }
        long total = 0;
        for (int i = 1; i < Math.min(fields.length, 9); i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0);
        return new long[] {total, idle};
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}
