package dev.wsfanout.fanout;

import dev.wsfanout.model.DeliveryChunk;

/**
 * The steps of a chunk's settlement, reported as each completes. On Lambda nothing listens; the
 * fault harness uses it to kill an invocation at a chosen step (by throwing an {@link Error},
 * which no step catches, as a crash or a timeout would end it) and prove the next delivery of the
 * same message finishes the chunk.
 */
@FunctionalInterface
public interface DeliveryCheckpoints {

    DeliveryCheckpoints NONE = (step, chunk) -> { };

    enum Step {
        /** The marker is claimed; nothing is posted yet. */
        CLAIMED,
        /** Every post of the chunk has an answer; the outcome is not saved yet. */
        POSTED,
        /** The outcome is on the marker. */
        OUTCOME_SAVED,
        /** Gone connections are removed and the retry chunk is sent. */
        SIDE_EFFECTS_DONE,
        /** The outcome is in the tally: the chunk is settled. */
        COUNTED
    }

    void reached(Step step, DeliveryChunk chunk);
}
