package dev.wsfanout.local.sfn;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps in the context object, formatted as Step Functions writes them: UTC with milliseconds ("2026-01-02T03:04:05.678Z"). */
final class ContextTimestamps {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ContextTimestamps() {
    }

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
