package dev.wsfanout.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The gateway's failed $connects, counted by why, instead of printed: the local gateway logs
 * {@code $connect failed for <id>: <function>: <errorType>: <message>} for each (and answers the
 * upgrade 502). The error type is Lambda's: {@code Sandbox.Timedout} when the function ran past
 * its timeout, else the class of what the handler threw, e.g. the SDK's
 * {@code ApiCallTimeoutException} when a registry write did not end within the time left.
 */
final class ConnectRefusals extends Handler {

    private static final String PREFIX = "$connect failed for ";
    /** Held here: java.util.logging keeps loggers only weakly. */
    private final Logger logger = Logger.getLogger("dev.wsfanout.local.gateway.RouteInvoker");
    private final Map<String, LongAdder> byType = new ConcurrentHashMap<>();
    private final LongAdder otherWarnings = new LongAdder();

    /** Counts the gateway's route warnings from now on; none is printed. */
    static ConnectRefusals install() {
        ConnectRefusals refusals = new ConnectRefusals();
        refusals.logger.setUseParentHandlers(false);
        refusals.logger.setLevel(Level.ALL);
        refusals.logger.addHandler(refusals);
        return refusals;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message == null || !message.startsWith(PREFIX)) {
            otherWarnings.increment();
            return;
        }
        // <id>: <function>: <errorType>: <message>
        String[] parts = message.substring(PREFIX.length()).split(": ", 4);
        String type = parts.length >= 3 ? parts[2] : "unknown";
        byType.computeIfAbsent(simpleName(type), t -> new LongAdder()).increment();
    }

    /** Failed $connects so far, per error type (short class name). */
    Map<String, Long> snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        byType.forEach((type, n) -> counts.put(type, n.sum()));
        return counts;
    }

    long otherWarnings() {
        return otherWarnings.sum();
    }

    /** What {@code now} counts beyond {@code before}. */
    static Map<String, Long> since(Map<String, Long> before, Map<String, Long> now) {
        Map<String, Long> counts = new TreeMap<>();
        now.forEach((type, n) -> {
            long d = n - before.getOrDefault(type, 0L);
            if (d != 0) {
                counts.put(type, d);
            }
        });
        return counts;
    }

    static boolean isTimeout(String type) {
        return type.equals("Sandbox.Timedout") || type.endsWith("TimeoutException");
    }

    private static String simpleName(String type) {
        return type.startsWith("Sandbox.") ? type : type.substring(type.lastIndexOf('.') + 1);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
