package dev.wsfanout.plan;

import java.util.PriorityQueue;

/**
 * The clock and agenda of the simulation: actions run in time order, and actions due at the same
 * microsecond run in the order they were scheduled, so a run is a pure function of its parameters
 * and seed.
 */
final class EventScheduler {

    private record Scheduled(long atMicros, long sequence, Runnable action) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(atMicros, other.atMicros);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Scheduled> agenda = new PriorityQueue<>();
    private long nowMicros;
    private long nextSequence;

    long now() {
        return nowMicros;
    }

    void after(long delayMicros, Runnable action) {
        agenda.add(new Scheduled(nowMicros + Math.max(0, delayMicros), nextSequence++, action));
    }

    /** Runs the next action, if any is due no later than {@code untilMicros}; false when none is. */
    boolean runNext(long untilMicros) {
        Scheduled next = agenda.peek();
        if (next == null || next.atMicros > untilMicros) {
            return false;
        }
        agenda.poll();
        nowMicros = next.atMicros;
        next.action.run();
        return true;
    }
}
