package dev.wsfanout.local.sfn;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Step Functions service quotas the engine enforces the way AWS does (AWS developer guide,
 * "Step Functions service quotas"). {@link #aws()} enforces all of them and is what every
 * constructor of {@link LocalStepFunctions} uses unless told otherwise. One quota may be turned
 * off with {@link #without(Quota, String)}, which demands the reason (a benchmark that says it
 * measures something else); {@link #toString()} names what is off and why, so a run that lifted
 * a limit can say so.
 */
public final class Quotas {

    /** A quota AWS enforces on every execution. */
    public enum Quota {
        /** 262,144 UTF-8 bytes of JSON text per execution input, state input after Parameters/Arguments, task result and state output. */
        PAYLOAD_SIZE,
        /** 25,000 events in the history of a Standard execution, the closing ExecutionFailed included. */
        HISTORY_EVENTS,
        /** 5 minutes of an Express execution (Distributed Map children with ExecutionType EXPRESS, EXPRESS machines). */
        EXPRESS_DURATION
    }

    /** "Maximum input or output size for a task, state, or execution": 256 KiB of data as a UTF-8 encoded string. */
    public static final int MAX_PAYLOAD_BYTES = 262_144;
    /** "Maximum execution history size": 25,000 events (a hard quota). */
    public static final int MAX_HISTORY_EVENTS = 25_000;
    /** "Maximum execution time" of an Express workflow. */
    public static final Duration MAX_EXPRESS_DURATION = Duration.ofMinutes(5);

    private static final Quotas AWS = new Quotas(Map.of());

    private final Map<Quota, String> lifted;

    private Quotas(Map<Quota, String> lifted) {
        this.lifted = lifted;
    }

    /** Every quota enforced, as on AWS. */
    public static Quotas aws() {
        return AWS;
    }

    /**
     * These quotas with {@code quota} no longer enforced.
     *
     * @param because why, e.g. "bench: 1M-connection broadcast measures fan-out, not the history budget"; must not be blank
     */
    public Quotas without(Quota quota, String because) {
        Objects.requireNonNull(quota, "quota");
        if (because == null || because.isBlank()) {
            throw new IllegalArgumentException("lifting the " + quota + " quota needs a reason (which benchmark, and why it may differ from AWS)");
        }
        Map<Quota, String> more = new EnumMap<>(Quota.class);
        more.putAll(lifted);
        more.put(quota, because);
        return new Quotas(Collections.unmodifiableMap(more));
    }

    public boolean enforces(Quota quota) {
        return !lifted.containsKey(quota);
    }

    /** The quotas that are off, with the reason given for each. */
    public Map<Quota, String> lifted() {
        return lifted;
    }

    /** UTF-8 length of {@code json}, counted without copying. */
    static long utf8Bytes(String json) {
        long bytes = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Whether {@code json} is over the payload quota (when it is enforced). */
    boolean payloadTooLarge(String json) {
        return enforces(Quota.PAYLOAD_SIZE) && json.length() > MAX_PAYLOAD_BYTES / 3 && utf8Bytes(json) > MAX_PAYLOAD_BYTES;
    }

    /** The States.DataLimitExceeded cause AWS writes: "The state/task '<who>' returned a result with a size exceeding ...". */
    static String dataLimitCause(String who) {
        return "The state/task '" + who + "' returned a result with a size exceeding the maximum number of bytes service limit.";
    }

    @Override
    public String toString() {
        return lifted.isEmpty() ? "AWS quotas" : "AWS quotas without " + lifted;
    }
}
