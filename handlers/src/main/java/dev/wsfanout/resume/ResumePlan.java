package dev.wsfanout.resume;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a resume posts, in order: a gap (if the client missed more than the history retains), the
 * retained broadcasts after the client's {@code since}, ascending and without a hole, and the
 * stream's head, the newest number the replay covers.
 */
public record ResumePlan(Optional<Gap> gap, List<HistoryEntry> replay, long head) {

    public ResumePlan {
        Objects.requireNonNull(gap, "gap");
        replay = List.copyOf(replay);
    }

    /** Numbers the client cannot get: {@code from..to} expired, or, for {@code unknown}, a since ahead of the head. */
    public sealed interface Gap {
    }

    public record Expired(long from, long to) implements Gap {
    }

    public record Unknown() implements Gap {
    }
}
