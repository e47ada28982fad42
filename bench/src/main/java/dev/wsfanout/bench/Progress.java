package dev.wsfanout.bench;

import java.io.PrintStream;

/** Progress lines on stderr, each stamped with the seconds since the run began, so a long run can be watched. */
public final class Progress {

    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    public Progress(PrintStream out) {
        this.out = out;
    }

    public void say(String format, Object... args) {
        out.printf("[bench %7.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
        out.flush();
    }
}
