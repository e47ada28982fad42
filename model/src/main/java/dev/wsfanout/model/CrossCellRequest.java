package dev.wsfanout.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cross-cell broadcast's input (statemachine/cells.asl.json): {@code {"message": ...}}, to
 * every cell. A rerun of failed cells names the broadcast it completes, its number and the cells,
 * {@code {"message": ..., "broadcastId": "b-1", "seq": 7, "cells": ["c2"]}}, as the failed
 * broadcast's audit prints them; the cells that delivered it are not asked again.
 *
 * @param cells       the cells a rerun reaches; empty for every cell
 * @param broadcastId the cross-cell broadcast a rerun completes; null for a new broadcast
 * @param seq         its number; 0 for a new broadcast (which claims the next)
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record CrossCellRequest(JsonNode message, List<String> cells, String broadcastId, long seq) {

    @JsonCreator
    public CrossCellRequest(@JsonProperty(value = "message", required = true) JsonNode message,
                            @JsonProperty("cells") List<String> cells,
                            @JsonProperty("broadcastId") String broadcastId,
                            @JsonProperty("seq") Long seq) {
        this(message, cells, broadcastId, seq == null ? 0 : seq);
    }

    public CrossCellRequest {
        // The same rules as one cell's input, checked before a number is claimed: a message every
        // cell refuses would leave that number unused in every cell's history.
        new BroadcastRequest(message);
        cells = cells == null ? List.of() : List.copyOf(cells);
        Set<String> seen = new HashSet<>();
        for (String cell : cells) {
            if (!seen.add(cell)) {
                throw invalid("cells lists " + cell + " twice");
            }
        }
        if ((broadcastId == null) != (seq == 0)) {
            throw invalid("a rerun names both the broadcastId and the seq of the broadcast it completes (its audit prints them); got only "
                    + (broadcastId == null ? "seq" : "broadcastId"));
        }
        if (seq < 0) {
            throw invalid("seq must be a positive integer, got " + seq);
        }
        if (!cells.isEmpty() && broadcastId == null) {
            throw invalid("cells chooses the cells of a rerun (with its broadcastId and seq): a new broadcast goes to every cell,"
                    + " or the clients of the others would never see its number");
        }
        if (broadcastId != null && (broadcastId.isEmpty() || broadcastId.length() > MessageLimits.MAX_BROADCAST_ID_LENGTH)) {
            throw invalid("broadcastId must have 1 to " + MessageLimits.MAX_BROADCAST_ID_LENGTH + " characters, got " + broadcastId.length());
        }
    }

    public boolean rerun() {
        return broadcastId != null;
    }

    /** Parses the execution input, turning every problem into an {@link BroadcastRequest.InvalidBroadcastException}. */
    public static CrossCellRequest fromJson(String json) {
        try {
            return JsonCodec.read(json, CrossCellRequest.class);
        } catch (JsonCodec.MalformedJsonException e) {
            throw invalid("the input is not a cross-cell broadcast request {\"message\": ..., \"cells\": [...]}: " + e.getMessage());
        }
    }

    private static BroadcastRequest.InvalidBroadcastException invalid(String message) {
        return new BroadcastRequest.InvalidBroadcastException(message);
    }
}
