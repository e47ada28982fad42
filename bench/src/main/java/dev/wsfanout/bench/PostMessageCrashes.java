package dev.wsfanout.bench;

import dev.wsfanout.fanout.DeliveryCheckpoints;
import dev.wsfanout.model.DeliveryChunk;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kills postMessage invocations the way a crashed sandbox would (an {@link Error} that no step
 * catches: the invocation ends, its SQS batch comes back after the visibility timeout), after one
 * of the four settlement steps that leave something behind, in turn. Which chunk is picked when it
 * is claimed: the 3rd, 8th, 13th and 18th claims (so even a small run crashes after each step
 * once), then every 500th, about one invocation in 50 (an invocation settles up to 10 chunks). A
 * picked chunk crashes when it reaches its step, in whichever invocation that is.
 */
final class PostMessageCrashes implements DeliveryCheckpoints {

    static final List<Step> STEPS = List.of(Step.POSTED, Step.OUTCOME_SAVED, Step.SIDE_EFFECTS_DONE, Step.COUNTED);
    private static final List<Long> FIRST_PICKS = List.of(3L, 8L, 13L, 18L);
    private static final long THEN_EVERY = 500;

    private final AtomicLong claims = new AtomicLong();
    private final AtomicLong picks = new AtomicLong();
    /** Picked chunk id to the step it dies after. */
    private final Map<String, Step> picked = new ConcurrentHashMap<>();
    private final Map<Step, LongAdder> crashes = new EnumMap<>(Step.class);

    PostMessageCrashes() {
        for (Step step : STEPS) {
            crashes.put(step, new LongAdder());
        }
    }

    @Override
    public void reached(Step step, DeliveryChunk chunk) {
        if (step == Step.CLAIMED) {
            long claim = claims.incrementAndGet();
            if (FIRST_PICKS.contains(claim) || claim > FIRST_PICKS.get(FIRST_PICKS.size() - 1)
                    && (claim - FIRST_PICKS.get(FIRST_PICKS.size() - 1)) % THEN_EVERY == 0) {
                picked.putIfAbsent(chunk.chunkId(), STEPS.get((int) (picks.getAndIncrement() % STEPS.size())));
            }
        } else if (picked.remove(chunk.chunkId(), step)) {
            crashes.get(step).increment();
            throw new SimulatedSandboxCrash(step, chunk);
        }
    }

    /** Settlements begun: chunks claimed, first deliveries and redeliveries alike. */
    long claims() {
        return claims.get();
    }

    long crashes(Step step) {
        return crashes.get(step).sum();
    }

    long crashes() {
        return STEPS.stream().mapToLong(this::crashes).sum();
    }

    /** Picked chunks that never reached their step (settled by a delivery that skipped it). */
    int pending() {
        return picked.size();
    }

    private static final class SimulatedSandboxCrash extends Error {
        SimulatedSandboxCrash(Step step, DeliveryChunk chunk) {
            super("chaos: the postMessage sandbox crashed after " + step + " of chunk " + chunk.chunkId());
        }
    }
}
