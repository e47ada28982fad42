package dev.wsfanout.local.faults;

import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A plan in force: its rules with their match and injection counts, and the plan's seeded random. A new
 * run starts from zero, so swapping plans restarts every nth/every count and the random sequence.
 * Decisions are serialized so that the same sequence of requests always gets the same faults.
 */
final class PlanRun {

    private final List<RuleRun> rules;
    private final Random random;

    PlanRun(FaultPlan plan) {
        this.rules = plan.rules().stream().map(RuleRun::new).toList();
        this.random = new Random(plan.seed());
    }

    /** The rule whose fault {@code request} gets, or empty to forward it untouched. */
    synchronized Optional<FaultRule> decide(AwsRequest request) {
        for (RuleRun run : rules) {
            if (run.exhausted() || !run.rule.matches(request)) {
                continue;
            }
            run.matches++;
            if (run.rule.trigger().fires(run.matches, random)) {
                run.injections++;
                return Optional.of(run.rule);
            }
        }
        return Optional.empty();
    }

    private static final class RuleRun {
        final FaultRule rule;
        long matches;
        long injections;

        RuleRun(FaultRule rule) {
            this.rule = rule;
        }

        /** A rule that has used up its {@code times} no longer matches, so it stops counting and drawing. */
        boolean exhausted() {
            return rule.times() != null && injections >= rule.times();
        }
    }
}
