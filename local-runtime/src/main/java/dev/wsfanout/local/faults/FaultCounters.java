package dev.wsfanout.local.faults;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a {@link FaultProxy} has done since it started (plan swaps do not reset these): requests seen and
 * forwarded, per service and operation and in total, and faults injected, per kind and per rule. Thread-safe;
 * each count is exact, a set of counts read while requests flow is not a snapshot.
 */
public final class FaultCounters {

    private record Operation(AwsService service, String name) {
    }

    private final Map<FaultKind, LongAdder> injectedByKind = new EnumMap<>(FaultKind.class);
    private final Map<FaultRule, LongAdder> injectedByRule = new ConcurrentHashMap<>();
    private final Map<Operation, LongAdder> seenByOperation = new ConcurrentHashMap<>();
    private final Map<Operation, LongAdder> forwardedByOperation = new ConcurrentHashMap<>();
    private final LongAdder seen = new LongAdder();
    private final LongAdder forwarded = new LongAdder();

    FaultCounters() {
        for (FaultKind kind : FaultKind.values()) {
            injectedByKind.put(kind, new LongAdder());
        }
    }

    public long injected(FaultKind kind) {
        return injectedByKind.get(kind).sum();
    }

    /** Injections by {@code rule} (and by any equal rule, in this plan or an earlier one). */
    public long injected(FaultRule rule) {
        return sum(injectedByRule.get(rule));
    }

    /** Requests the proxy has decided on (forwarded or faulted), including those of services it does not know. */
    public long seen() {
        return seen.sum();
    }

    public long seen(AwsService service, String operation) {
        return sum(seenByOperation.get(new Operation(service, operation)));
    }

    /** Requests sent to the upstream: the untouched ones and those whose response was then lost. */
    public long forwarded() {
        return forwarded.sum();
    }

    public long forwarded(AwsService service, String operation) {
        return sum(forwardedByOperation.get(new Operation(service, operation)));
    }

    /** One line per fault kind, e.g. {@code throttle              12}. */
    public String summary() {
        return Stream.of(FaultKind.values())
                .map(kind -> String.format("%-20s %d", kind.jsonName(), injected(kind)))
                .collect(Collectors.joining("\n"));
    }

    void recordSeen(AwsRequest request) {
        seen.increment();
        count(seenByOperation, request);
    }

    void recordForwarded(AwsRequest request) {
        forwarded.increment();
        count(forwardedByOperation, request);
    }

    void recordInjected(FaultRule rule) {
        injectedByKind.get(rule.fault()).increment();
        injectedByRule.computeIfAbsent(rule, r -> new LongAdder()).increment();
    }

    private static void count(Map<Operation, LongAdder> counts, AwsRequest request) {
        if (request.service() != null) {
            counts.computeIfAbsent(new Operation(request.service(), request.operation()), o -> new LongAdder()).increment();
        }
    }

    private static long sum(LongAdder adder) {
        return adder == null ? 0 : adder.sum();
    }
}
