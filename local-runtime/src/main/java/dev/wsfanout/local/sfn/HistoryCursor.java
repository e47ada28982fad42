package dev.wsfanout.local.sfn;

/**
 * Where one path of an execution (the main path, a Parallel branch, a Map iteration) stands in
 * the history: each event it records points back to the previous event of the same path.
 */
final class HistoryCursor {

    private final ExecutionHistory history;
    private long last;

    HistoryCursor(ExecutionHistory history, long last) {
        this.history = history;
        this.last = last;
    }

    long record(String type, String detailsName, Object... details) {
        last = history.add(last, type, detailsName, details);
        return last;
    }

    long last() {
        return last;
    }

    HistoryCursor fork() {
        return new HistoryCursor(history, last);
    }
}
