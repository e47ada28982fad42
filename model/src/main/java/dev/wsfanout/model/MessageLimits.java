package dev.wsfanout.model;

/**
 * Size limits a broadcast message must fit. API Gateway refuses a PostToConnection body above
 * 128 KiB; every delivery wraps the message in an {@link Envelope}, so the message itself gets
 * that limit less the envelope's own bytes: its keys, an 80-character broadcast id (the longest
 * execution name Step Functions allows) and a sequence number of up to 19 digits, 132 bytes.
 */
public final class MessageLimits {

    /** API Gateway's PostToConnection payload limit. */
    public static final int POST_TO_CONNECTION_MAX_BYTES = 131_072;

    /** Bytes reserved for the envelope around the message. */
    public static final int ENVELOPE_RESERVE_BYTES = 160;

    /**
     * The largest serialized message a broadcast accepts. statemachine/broadcast.asl.json writes it into
     * CheckInput as a literal (cdk's DefinitionContractTest compares them).
     */
    public static final int MAX_MESSAGE_BYTES = POST_TO_CONNECTION_MAX_BYTES - ENVELOPE_RESERVE_BYTES;

    /** Step Functions caps execution names at 80 characters; the broadcast id is the execution name. */
    public static final int MAX_BROADCAST_ID_LENGTH = 80;

    private MessageLimits() {
    }
}
