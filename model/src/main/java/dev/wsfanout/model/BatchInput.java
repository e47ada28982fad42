package dev.wsfanout.model;

import java.util.Objects;

/**
 * The part of a Distributed Map batch every child shares: which broadcast. The message stays in
 * the broadcast record, so a batch's input is small whatever the message's size.
 */
public record BatchInput(String broadcastId) {
    public BatchInput {
        Objects.requireNonNull(broadcastId, "BatchInput.broadcastId");
    }
}
