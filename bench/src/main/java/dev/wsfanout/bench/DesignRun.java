package dev.wsfanout.bench;

import java.util.List;

/**
 * One broadcast of one design, as measured.
 *
 * @param design          the design's name
 * @param broadcastId     the broadcast
 * @param startMillis     epoch ms just before the design's entry point was called
 * @param expected        connections it should reach
 * @param samples         the gateway's counters every {@link BroadcastBench#SAMPLE_MILLIS} ms from the start
 * @param completeMillis  epoch ms of the sample at which every connection had been delivered to, or -1
 * @param entryDoneMillis epoch ms the design's entry point returned (execution end, function return), or -1
 * @param entryResult     what the entry point returned, or the error it ended with
 * @param receipts        what real clients received ({@link Receipts#NONE} without real clients)
 */
public record DesignRun(String design, String broadcastId, long startMillis, long expected, List<DeliverySample> samples,
                        long completeMillis, long entryDoneMillis, String entryResult, Receipts receipts) {

    public DesignRun {
        samples = List.copyOf(samples);
    }

    public boolean complete() {
        return completeMillis >= 0;
    }

    public DeliverySample last() {
        return samples.isEmpty() ? new DeliverySample(startMillis, 0, 0, 0) : samples.get(samples.size() - 1);
    }

    public long delivered() {
        return last().delivered();
    }

    public long throttled() {
        return last().throttled();
    }

    /**
     * Seconds from the start to the last delivery: the last receipt a real client recorded when
     * there are real clients, else the sample at which the gateway had delivered to every connection;
     * for an incomplete run, the first sample at which its deliveries had reached their final count.
     */
    public double seconds() {
        long end;
        if (receipts.received() > 0 && receipts.missing() == 0) {
            end = receipts.lastMillis();
        } else if (complete()) {
            end = completeMillis;
        } else {
            end = firstReaching(delivered()) == null ? last().atMillis() : firstReaching(delivered()).atMillis();
        }
        return Math.max(1, end - startMillis) / 1000.0;
    }

    public double deliveriesPerSecond() {
        return delivered() / seconds();
    }

    /**
     * Deliveries per second between 10% and 90% of the expected deliveries: the rate the design
     * holds once started and before its tail, the figure to compare with a rate limit.
     */
    public double steadyRate() {
        DeliverySample from = firstReaching(expected / 10);
        DeliverySample to = firstReaching(expected * 9 / 10);
        if (from == null || to == null || to.atMillis() <= from.atMillis()) {
            return deliveriesPerSecond();
        }
        return (to.delivered() - from.delivered()) * 1000.0 / (to.atMillis() - from.atMillis());
    }

    private DeliverySample firstReaching(long delivered) {
        return samples.stream().filter(s -> s.delivered() >= delivered).findFirst().orElse(null);
    }
}
