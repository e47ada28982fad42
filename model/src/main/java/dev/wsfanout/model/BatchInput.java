package dev.wsfanout.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/** The part of a Distributed Map batch every child shares: which broadcast, and its message. */
public record BatchInput(String broadcastId, JsonNode message) {
    public BatchInput {
        Objects.requireNonNull(broadcastId, "BatchInput.broadcastId");
        Objects.requireNonNull(message, "BatchInput.message");
    }
}
