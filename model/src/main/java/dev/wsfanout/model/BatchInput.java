package dev.wsfanout.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * The part of a Distributed Map batch every child shares: which broadcast, and its number in the
 * stream. The message stays in the broadcast record, so a batch's input is small whatever the
 * message's size.
 *
 * @param seq the broadcast's sequence number (docs/resume.md); 0 for a fan-out run without the
 *            state machine, and for a batch of a definition from before numbering (a deploy's
 *            running executions), whose deliveries then go out unnumbered
 */
public record BatchInput(String broadcastId, long seq) {
    public BatchInput {
        Objects.requireNonNull(broadcastId, "BatchInput.broadcastId");
        if (seq < 0) {
            throw new IllegalArgumentException("BatchInput.seq must be >= 0, was " + seq);
        }
    }

    @JsonCreator
    static BatchInput fromJson(@JsonProperty(value = "broadcastId", required = true) String broadcastId,
                               @JsonProperty("seq") Long seq) {
        return new BatchInput(broadcastId, seq == null ? 0 : seq);
    }
}
