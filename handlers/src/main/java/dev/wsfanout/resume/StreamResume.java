package dev.wsfanout.resume;

import dev.wsfanout.fanout.BroadcastMessages;
import dev.wsfanout.fanout.ConnectionPoster;
import dev.wsfanout.fanout.PostOutcome;
import dev.wsfanout.model.Envelope;
import dev.wsfanout.model.ResumeProtocol;
import software.amazon.awssdk.core.SdkBytes;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Serves one client's resume (docs/resume.md): posts the gap, each missed broadcast in order (the
 * same envelope the fan-out posts), and the {@code resumed} message, to that connection alone. One
 * post at a time, so the client receives them in order. A connection that is gone ends it quietly;
 * a post that keeps failing ends it with the reason, and the client's next resume (its keep-alive,
 * or its reorder timer) asks again.
 */
public final class StreamResume {

    /** The replay of 100 messages of 128 KiB must fit one invocation; a stuck call must not hold it. */
    private static final Duration POST_BUDGET = Duration.ofSeconds(5);

    private final ResumePlanner planner;
    private final BroadcastMessages messages;
    private final ConnectionPoster poster;
    private final Clock clock;

    public StreamResume(ResumePlanner planner, BroadcastMessages messages, ConnectionPoster poster, Clock clock) {
        this.planner = planner;
        this.messages = messages;
        this.poster = poster;
        this.clock = clock;
    }

    /** What one resume came to: how many broadcasts it replayed, and how it ended. */
    public record Served(int replayed, long head, PostOutcome ended, String reason) {
        public boolean complete() {
            return ended == PostOutcome.DELIVERED;
        }
    }

    public Served resume(String connectionId, ResumeProtocol.Request request) {
        OptionalLong since = request.since();
        ResumePlan plan = planner.plan(since, clock.instant());
        if (request.quiet() && plan.gap().isEmpty() && plan.replay().isEmpty()) {
            return new Served(0, plan.head(), PostOutcome.DELIVERED, null);
        }
        int replayed = 0;
        if (plan.gap().isPresent()) {
            String gap = plan.gap().get() instanceof ResumePlan.Expired expired
                    ? ResumeProtocol.expiredGap(since.orElse(0), expired.from(), expired.to(), plan.head())
                    : ResumeProtocol.unknownGap(since.orElse(0), plan.head());
            ConnectionPoster.Result posted = post(connectionId, gap);
            if (failed(posted)) {
                return ended(replayed, plan, posted, connectionId);
            }
        }
        for (HistoryEntry entry : plan.replay()) {
            String message;
            try {
                message = messages.messageOf(entry.broadcastId());
            } catch (BroadcastMessages.UnknownBroadcastException gone) {
                // The record outlives the history's age limit; a missing one is lost to the client, and it is told so.
                message = null;
            }
            String text = message == null
                    ? ResumeProtocol.expiredGap(since.orElse(0), entry.seq(), entry.seq(), plan.head())
                    : new Envelope(entry.broadcastId(), entry.seq(), message).toJson();
            ConnectionPoster.Result posted = post(connectionId, text);
            if (failed(posted)) {
                return ended(replayed, plan, posted, connectionId);
            }
            if (message != null) {
                replayed++;
            }
        }
        ConnectionPoster.Result posted = post(connectionId, ResumeProtocol.resumed(since, plan.head(), replayed));
        return ended(replayed, plan, posted, connectionId);
    }

    /** Answers a request that could not be read, so the client learns what was wrong. */
    public PostOutcome refuse(String connectionId, String problem) {
        return outcome(post(connectionId, ResumeProtocol.error(problem)), connectionId);
    }

    private ConnectionPoster.Result post(String connectionId, String text) {
        long deadline = System.nanoTime() + POST_BUDGET.toNanos();
        return poster.post(List.of(connectionId), SdkBytes.fromUtf8String(text), deadline);
    }

    private static boolean failed(ConnectionPoster.Result posted) {
        return posted.count(PostOutcome.DELIVERED) == 0;
    }

    private static PostOutcome outcome(ConnectionPoster.Result posted, String connectionId) {
        return posted.outcomes().get(connectionId);
    }

    private static Served ended(int replayed, ResumePlan plan, ConnectionPoster.Result posted, String connectionId) {
        return new Served(replayed, plan.head(), outcome(posted, connectionId), posted.reasons().get(connectionId));
    }
}
