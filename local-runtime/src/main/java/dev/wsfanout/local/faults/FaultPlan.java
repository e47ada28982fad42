package dev.wsfanout.local.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults a {@link FaultProxy} injects: rules tried in order, the first matching rule that fires wins
 * (rules after it do not see that request). Probability triggers draw from one {@link java.util.Random}
 * seeded with {@code seed}, so a run with the same requests in the same order makes the same decisions.
 *
 * <p>JSON form ({@link #fromJson}):
 * <pre>{"seed":1,"rules":[
 *   {"service":"dynamodb","operation":"UpdateItem","resource":"wsfanout-deliveries","bodyContains":":claimed","fault":"throttle","probability":0.05},
 *   {"service":"sqs","operation":"SendMessageBatch","fault":"response_lost","nth":3}]}</pre>
 */
public record FaultPlan(long seed, List<FaultRule> rules) {

    public static final long DEFAULT_SEED = 1;

    public FaultPlan {
        rules = List.copyOf(rules);
    }

    /** No faults: every request is forwarded untouched. */
    public static FaultPlan none() {
        return new FaultPlan(DEFAULT_SEED, List.of());
    }

    /**
     * Reads a plan's JSON form. Fields: {@code seed} (default 1) and {@code rules}; per rule {@code service},
     * {@code operation}, {@code resource}, {@code bodyContains}, {@code fault} (required), at most one of
     * {@code probability} / {@code nth} / {@code every}, {@code times}, {@code holdMillis}.
     *
     * @throws IllegalArgumentException naming the rule, field and value at fault; unknown fields are errors
     */
    public static FaultPlan fromJson(String json) {
        return FaultPlanJson.parse(json);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long seed = DEFAULT_SEED;
        private final List<FaultRule> rules = new ArrayList<>();

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Appends a rule: it is tried after the rules added before it. */
        public Builder rule(FaultRule rule) {
            rules.add(rule);
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(seed, rules);
        }
    }
}
