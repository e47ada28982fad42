package dev.wsfanout.fanout;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one postMessage environment's {@link RateGovernor} at its share of the fleet's budget
 * while it posts: on {@link #join} and every {@link #RENEWAL} after, it renews its lease in the
 * {@link PosterRoster} and sets the governor to the budget over the posters counted; on
 * {@link #leave} it drops the lease. So the fleet as a whole posts at its budget whenever work is
 * waiting anywhere: when a shard runs dry its posters leave and the others' shares grow within a
 * renewal, with no 429 needed to find the room (AIMD in the governor still answers the 429s that
 * come from whatever else shares the account's quota).
 *
 * <p>A roster that cannot be reached (throttled, down) costs nothing but accuracy: the governor
 * keeps the last share it was given, and the next renewal tries again.
 */
public final class FleetShare {

    /** Four renewals per {@link PosterRoster#LEASE}: a poster that left is noticed within half a second. */
    public static final Duration RENEWAL = Duration.ofMillis(500);

    private final PosterRoster roster;
    private final RateGovernor governor;
    private final double budget;
    private final ScheduledExecutorService timer;
    private final String posterId = UUID.randomUUID().toString();
    /** Held by a renewal while it runs, so a lease is never written again after {@link #leave} removed it. */
    private final Object renewing = new Object();
    private ScheduledFuture<?> renewals;
    private volatile boolean posting;
    private volatile boolean failureLogged;

    /**
     * @param budget the fleet's posts/s (POST_RATE)
     * @param timer  runs the renewals; one daemon thread is plenty
     */
    public FleetShare(PosterRoster roster, RateGovernor governor, double budget, ScheduledExecutorService timer) {
        this.roster = roster;
        this.governor = governor;
        this.budget = budget;
        this.timer = timer;
    }

    /** The environment starts posting: its lease is written at once, then renewed until {@link #leave}. */
    public synchronized void join() {
        failureLogged = false;
        posting = true;
        if (renewals == null) {
            renewals = timer.scheduleWithFixedDelay(this::renew, 0, RENEWAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The invocation ended: the lease goes, so the posters still at work take over its rate. */
    public void leave() {
        synchronized (this) {
            if (renewals == null) {
                return;
            }
            posting = false;
            renewals.cancel(false);
            renewals = null;
        }
        synchronized (renewing) {
            try {
                roster.leave(posterId);
            } catch (RuntimeException e) {
                // Not fatal: the lease lapses by itself after PosterRoster.LEASE.
                System.err.println("postMessage: could not drop poster lease " + posterId + " (it lapses in "
                        + PosterRoster.LEASE.toSeconds() + " s): " + e);
            }
        }
    }

    private void renew() {
        synchronized (renewing) {
            if (!posting) {
                return;
            }
            try {
                governor.share(PosterRoster.shareOf(budget, roster.renew(posterId)));
            } catch (RuntimeException e) {
                if (!failureLogged) {
                    failureLogged = true;
                    System.err.println("postMessage: poster roster unavailable, keeping a share of "
                            + Math.round(governor.currentRate()) + " posts/s until it answers: " + e);
                }
            }
        }
    }
}
