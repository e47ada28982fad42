package dev.wsfanout.plan;

/**
 * One step of "what to raise first": the bottleneck, and what doubling it (until something else
 * binds) buys. A resource that cannot be raised ends the sequence with {@code raised} false.
 *
 * @param from                  the setting before, as {@code wsfanout plan} options
 * @param to                    the setting after; equal to {@code from} when not raised
 * @param completionAfterSeconds equal to {@code completionBeforeSeconds} when not raised
 */
public record RaiseStep(
        Resource resource,
        boolean raised,
        String from,
        String to,
        double completionBeforeSeconds,
        double completionAfterSeconds,
        Resource nextBottleneck) {
}
