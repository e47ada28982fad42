package dev.wsfanout.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What churning clients did ({@link ChurnProcess}), summed over client JVMs.
 *
 * @param accepted     handshakes the gateway completed ($connect accepted)
 * @param refused502   handshakes answered 502: $connect failed or outlasted its timeout
 * @param refusedOther handshakes answered with another status
 * @param errors       handshakes that failed without an answer, other than by the client's timeout (an I/O error)
 * @param gaveUp       handshakes the client gave up on after its 30 s handshake timeout, no answer yet
 * @param clean        connections left with a close frame
 * @param abrupt       connections dropped without a close frame (the TCP connection aborted)
 * @param abandoned    upgrade requests sent on a raw socket that was closed before the answer
 * @param closedAtStop connections still open when the churn stopped, closed then with a close frame
 */
record ChurnTally(long accepted, long refused502, long refusedOther, long errors, long gaveUp, long clean, long abrupt,
                  long abandoned, long closedAtStop) {

    static final ChurnTally NONE = new ChurnTally(0, 0, 0, 0, 0, 0, 0, 0, 0);

    ChurnTally plus(ChurnTally o) {
        return new ChurnTally(accepted + o.accepted, refused502 + o.refused502, refusedOther + o.refusedOther,
                errors + o.errors, gaveUp + o.gaveUp, clean + o.clean, abrupt + o.abrupt, abandoned + o.abandoned, closedAtStop + o.closedAtStop);
    }

    /** Upgrade requests sent: the connects tried and the handshakes abandoned. */
    long attempts() {
        return accepted + refused502 + refusedOther + errors + gaveUp + abandoned;
    }

    /** {@code name=value} words, in the order of the components, as {@link ChurnProcess} writes them. */
    String words() {
        return fields().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** Parses what {@link #words} wrote, after the line's kind. */
    static ChurnTally parse(String line) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String word : line.split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                values.put(word.substring(0, eq), Long.parseLong(word.substring(eq + 1)));
            }
        }
        if (!values.keySet().equals(NONE.fields().keySet())) {
            throw new IllegalStateException("malformed churn tally from a client JVM: " + line);
        }
        return new ChurnTally(values.get("accepted"), values.get("refused502"), values.get("refusedOther"), values.get("errors"),
                values.get("gaveUp"), values.get("clean"), values.get("abrupt"), values.get("abandoned"), values.get("closedAtStop"));
    }

    private Map<String, Long> fields() {
        Map<String, Long> f = new LinkedHashMap<>();
        f.put("accepted", accepted);
        f.put("refused502", refused502);
        f.put("refusedOther", refusedOther);
        f.put("errors", errors);
        f.put("gaveUp", gaveUp);
        f.put("clean", clean);
        f.put("abrupt", abrupt);
        f.put("abandoned", abandoned);
        f.put("closedAtStop", closedAtStop);
        return f;
    }
}
