package dev.wsfanout.plan;

import java.util.EnumMap;
import java.util.Map;

/** Simulated time blamed on each {@link Resource}, one tick at a time. */
final class SaturationLedger {

    private final long[] ticks = new long[Resource.values().length];
    private long total;

    void blame(Resource resource) {
        ticks[resource.ordinal()]++;
        total++;
    }

    /** The share of the time each resource was the binding one; shares sum to 1. */
    Map<Resource, Double> shares() {
        Map<Resource, Double> shares = new EnumMap<>(Resource.class);
        for (Resource resource : Resource.values()) {
            if (ticks[resource.ordinal()] > 0) {
                shares.put(resource, (double) ticks[resource.ordinal()] / total);
            }
        }
        return shares;
    }

    /** The resource binding for the longest time; pipeline latency when nothing was measured. */
    Resource bottleneck() {
        Resource most = Resource.PIPELINE_LATENCY;
        for (Resource resource : Resource.values()) {
            if (ticks[resource.ordinal()] > ticks[most.ordinal()]) {
                most = resource;
            }
        }
        return most;
    }
}
