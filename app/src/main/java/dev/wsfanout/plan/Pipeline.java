package dev.wsfanout.plan;

import java.util.OptionalLong;
import java.util.Set;

/** One design's stages between the trigger and postMessage, driven by {@link PipelineSimulation}. */
interface Pipeline {

    void start();

    /** Advances the stages that act per tick, and adds the stage resources saturated now. */
    void tick(double tickSeconds, Set<Resource> saturated);

    /** When the broadcast was known to be over; empty while it is not. */
    OptionalLong completedAtMicros();

    long shardMessagesSent();

    long sendMessageBatchCalls();
}
