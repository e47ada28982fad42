package dev.wsfanout.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What every client receives: {@code {"broadcastId":"..","data":<the message>}}. The broadcast id
 * lets a client drop the rare duplicate (see docs/failure-model.md); {@code data} is the message
 * exactly as it was sent.
 */
public record Envelope(String broadcastId, JsonNode data) {
}
