package dev.wsfanout.local.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which requests get which fault. A rule matches a request when every criterion it sets holds; an unset
 * criterion matches anything. Two rules with equal fields share their {@link FaultCounters} count.
 *
 * @param service      the service, or null for any (requests of services the proxy does not know are never matched)
 * @param operation    the operation, e.g. {@code UpdateItem}, {@code SendMessageBatch}; null (or {@code *}) for any
 * @param resource     the DynamoDB table (a {@code TableName}, or a key of a batch's {@code RequestItems}) or the
 *                     SQS queue name (the last path segment of {@code QueueUrl}, or {@code QueueName}); null for any
 * @param bodyContains a substring the raw request body must contain, to single out one kind of write
 *                     (say, one ConditionExpression); null for any body
 * @param trigger      which matching requests get the fault; {@code every(1)} (all of them) when null
 * @param times        at most this many injections by this rule; null for no limit
 * @param fault        the fault
 * @param hold         how long a {@link FaultKind#TIMEOUT} holds a request before closing its connection (30 s
 *                     when null); must be null for the other kinds
 */
public record FaultRule(AwsService service, String operation, String resource, String bodyContains,
                        FaultTrigger trigger, Integer times, FaultKind fault, Duration hold) {

    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(30);

    public FaultRule {
        if (fault == null) {
            throw new IllegalArgumentException("fault is required");
        }
        if ("*".equals(operation)) {
            operation = null;
        }
        requireNonEmpty("operation", operation);
        requireNonEmpty("resource", resource);
        requireNonEmpty("bodyContains", bodyContains);
        if (trigger == null) {
            trigger = FaultTrigger.every(1);
        }
        if (times != null && times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        if (fault == FaultKind.TIMEOUT) {
            hold = hold == null ? DEFAULT_HOLD : hold;
            if (hold.isNegative() || hold.isZero()) {
                throw new IllegalArgumentException("holdMillis must be positive, was " + hold.toMillis());
            }
        } else if (hold != null) {
            throw new IllegalArgumentException("holdMillis applies only to fault timeout, not to " + fault.jsonName());
        }
        if (fault == FaultKind.THROTTLING_EXCEPTION && service != AwsService.DYNAMODB) {
            throw new IllegalArgumentException("fault throttling_exception is DynamoDB's: the rule needs service dynamodb, was "
                    + (service == null ? "any" : service.jsonName()));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether this rule's criteria hold for {@code request}; the trigger is not consulted. */
    boolean matches(AwsRequest request) {
        if (request.service() == null
                || service != null && service != request.service()
                || operation != null && !operation.equals(request.operation())) {
            return false;
        }
        // cheapest first: the body is parsed or decoded only for the requests that got this far
        return (resource == null || request.resources().contains(resource))
                && (bodyContains == null || request.bodyText().contains(bodyContains));
    }

    private static void requireNonEmpty(String field, String value) {
        if (value != null && value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty (leave it out to match any)");
        }
    }

    /** Builds a rule; the trigger setters are exclusive. */
    public static final class Builder {
        private AwsService service;
        private String operation;
        private String resource;
        private String bodyContains;
        private final List<String> triggerNames = new ArrayList<>();
        private FaultTrigger trigger;
        private Integer times;
        private FaultKind fault;
        private Duration hold;

        private Builder() {
        }

        public Builder service(AwsService service) {
            this.service = service;
            return this;
        }

        public Builder operation(String operation) {
            this.operation = operation;
            return this;
        }

        public Builder resource(String resource) {
            this.resource = resource;
            return this;
        }

        public Builder bodyContains(String bodyContains) {
            this.bodyContains = bodyContains;
            return this;
        }

        public Builder probability(double p) {
            return trigger("probability", FaultTrigger.probability(p));
        }

        public Builder nth(int n) {
            return trigger("nth", FaultTrigger.nth(n));
        }

        public Builder every(int n) {
            return trigger("every", FaultTrigger.every(n));
        }

        public Builder times(int times) {
            this.times = times;
            return this;
        }

        public Builder fault(FaultKind fault) {
            this.fault = fault;
            return this;
        }

        /** How long a {@link FaultKind#TIMEOUT} holds the request (default 30 s). */
        public Builder hold(Duration hold) {
            this.hold = hold;
            return this;
        }

        /** @throws IllegalArgumentException naming the field and value at fault */
        public FaultRule build() {
            if (triggerNames.size() > 1) {
                throw new IllegalArgumentException("a rule has at most one trigger, got " + String.join(" and ", triggerNames));
            }
            return new FaultRule(service, operation, resource, bodyContains, trigger, times, fault, hold);
        }

        private Builder trigger(String name, FaultTrigger trigger) {
            triggerNames.add(name);
            this.trigger = trigger;
            return this;
        }
    }
}
