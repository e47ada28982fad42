package dev.wsfanout.model;

import java.util.Objects;

/**
 * What every client receives: {@code {"broadcastId":"..","seq":42,"data":<the message>}}. The
 * sequence number orders the stream and lets a client drop a copy and ask for what it missed
 * (docs/resume.md); the broadcast id names the execution. {@code data} is spliced in as text, never
 * re-serialized: the bytes a client gets are the bytes the state machine sized.
 *
 * @param seq      the broadcast's number in its stream; 0 for an unnumbered delivery (fan-outs run
 *                 without the state machine, and chunks queued before numbering existed), which
 *                 leaves {@code seq} out
 * @param dataJson the message as JSON text, exactly as the broadcast record holds it
 */
public record Envelope(String broadcastId, long seq, String dataJson) {

    public Envelope {
        Objects.requireNonNull(broadcastId, "broadcastId");
        Objects.requireNonNull(dataJson, "dataJson");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, was " + seq);
        }
    }

    public String toJson() {
        return "{\"broadcastId\":" + JsonCodec.write(broadcastId) + (seq > 0 ? ",\"seq\":" + seq : "")
                + ",\"data\":" + dataJson + "}";
    }
}
