package dev.wsfanout.cli;

import java.io.PrintWriter;

/**
 * A status line on stderr that rewrites itself in place on a terminal; elsewhere (a pipe, a log,
 * a test) it prints a line only when the text changes, so logs stay readable.
 */
public final class ProgressLine {

    private final PrintWriter err;
    private final boolean inPlace;
    private String last = "";

    public ProgressLine(PrintWriter err, boolean inPlace) {
        this.err = err;
        this.inPlace = inPlace;
    }

    /** In place only when the JVM has a terminal. */
    public static ProgressLine forTerminal(PrintWriter err) {
        return new ProgressLine(err, System.console() != null);
    }

    /** Synchronized: progress may come from client or SDK threads as well as the command's. */
    public synchronized void show(String text) {
        if (text.equals(last)) {
            return;
        }
        if (inPlace) {
            // Pads with spaces so a shorter line fully covers the longer one before it.
            err.print("\r" + text + " ".repeat(Math.max(0, last.length() - text.length())));
        } else {
            err.println(text);
        }
        err.flush();
        last = text;
    }

    /** Ends the line so the next output starts on a fresh one. */
    public synchronized void done() {
        if (inPlace && !last.isEmpty()) {
            err.println();
            err.flush();
        }
        last = "";
    }
}
