package dev.wsfanout.resume;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides what a client that has delivered up to {@code since} gets (docs/resume.md). The history's
 * numbers have no holes (each claim takes the number after one that exists), so a replay is the
 * run of entries right after {@code since}; what is missing at its start was dropped by the
 * retention (the newest {@code maxCount}, at most {@code maxAge} old) and is reported as a gap.
 */
public final class ResumePlanner {

    private final StreamHistoryReader history;
    private final int maxCount;
    private final Duration maxAge;

    public ResumePlanner(StreamHistoryReader history, int maxCount, Duration maxAge) {
        this.history = history;
        this.maxCount = maxCount;
        this.maxAge = maxAge;
    }

    public ResumePlan plan(OptionalLong since, Instant now) {
        if (since.isEmpty()) {
            // A client that has seen nothing only learns where the stream is.
            List<HistoryEntry> newest = history.newest(1);
            return new ResumePlan(Optional.empty(), List.of(), newest.isEmpty() ? 0 : newest.get(0).seq());
        }
        long seen = since.getAsLong();
        // since's own entry comes first when it still exists: it proves since is a number of this stream.
        List<HistoryEntry> read = history.from(seen, maxCount + 2);
        List<HistoryEntry> after = new ArrayList<>(read);
        if (!after.isEmpty() && after.get(0).seq() == seen) {
            after.remove(0);
        } else if (seen > 0 && after.isEmpty()) {
            List<HistoryEntry> newest = history.newest(1);
            long head = newest.isEmpty() ? 0 : newest.get(0).seq();
            if (seen > head) {
                return new ResumePlan(Optional.of(new ResumePlan.Unknown()), List.of(), head);
            }
            return new ResumePlan(Optional.empty(), List.of(), seen);
        }
        if (after.isEmpty()) {
            return new ResumePlan(Optional.empty(), List.of(), seen);
        }
        if (after.size() > maxCount) {
            after = history.newest(maxCount);
        }
        long newestSeq = after.get(after.size() - 1).seq();
        Instant oldestKept = now.minus(maxAge);
        List<HistoryEntry> replay = new ArrayList<>();
        for (HistoryEntry entry : after) {
            if (entry.createdAt().isBefore(oldestKept)) {
                continue;
            }
            // A later entry written while this read ran can show without the one before it; it
            // reaches the client by its fan-out or the next resume, so the replay stops at the hole.
            if (!replay.isEmpty() && entry.seq() != replay.get(replay.size() - 1).seq() + 1) {
                break;
            }
            replay.add(entry);
        }
        long firstReplayed = replay.isEmpty() ? newestSeq + 1 : replay.get(0).seq();
        Optional<ResumePlan.Gap> gap = firstReplayed > seen + 1
                ? Optional.of(new ResumePlan.Expired(seen + 1, firstReplayed - 1)) : Optional.empty();
        long head = replay.isEmpty() ? newestSeq : replay.get(replay.size() - 1).seq();
        return new ResumePlan(gap, replay, head);
    }
}
