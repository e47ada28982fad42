package dev.wsfanout.model;

import java.time.Duration;

/**
 * The broadcast stream's numbering and its bounded history (docs/resume.md): the history table's
 * layout and the retention a resume serves. Each broadcast claims the next sequence number by
 * writing its history entry {@code (stream, seq)} before its fan-out starts; the entry holds only
 * the broadcast id and its start, because the message stays in the broadcast record, so a resume
 * reads small items and no counter ever shares an item with a message.
 */
public final class StreamHistory {

    /** The history table's partition key: the stream's name. */
    public static final String STREAM = "stream";
    /** The history table's sort key: the sequence number (1, 2, 3, ...; the head hint is at {@link #HEAD_SEQ}). */
    public static final String SEQ = "seq";
    /** An entry's broadcast (the broadcasts table's key, whose record holds the message). */
    public static final String BROADCAST_ID = FanoutSchema.BROADCAST_ID;
    /** An entry's execution start time, ISO-8601: what the age limit is measured from. */
    public static final String CREATED_AT = "createdAt";
    /**
     * The one stream a deployment has. statemachine/broadcast.asl.json writes it as a literal
     * (cdk's DefinitionContractTest compares them).
     */
    public static final String DEFAULT_STREAM = "default";
    /**
     * The item at this sort key holds {@link #HEAD}, the highest number claimed so far as far as
     * the claims have reported it: a hint where the next claim starts, never an entry.
     */
    public static final long HEAD_SEQ = 0;
    public static final String HEAD = "head";

    /** How many of the newest broadcasts a resume replays at most. */
    public static final int DEFAULT_MAX_COUNT = 100;
    /** How old a broadcast may be (from its start) and still be replayed. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

    private StreamHistory() {
    }
}
