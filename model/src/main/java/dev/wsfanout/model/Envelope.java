package dev.wsfanout.model;

import java.util.Objects;

/**
 * What every client receives: {@code {"broadcastId":"..","data":<the message>}}. The broadcast id
 * lets a client drop the rare duplicate (see docs/failure-model.md). {@code data} is spliced in as
 * text, never re-serialized: the bytes a client gets are the bytes the state machine sized.
 *
 * @param dataJson the message as JSON text, exactly as the broadcast record holds it
 */
public record Envelope(String broadcastId, String dataJson) {

    public Envelope {
        Objects.requireNonNull(broadcastId, "broadcastId");
        Objects.requireNonNull(dataJson, "dataJson");
    }

    public String toJson() {
        return "{\"broadcastId\":" + JsonCodec.write(broadcastId) + ",\"data\":" + dataJson + "}";
    }
}
