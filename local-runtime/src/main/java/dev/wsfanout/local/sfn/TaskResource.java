package dev.wsfanout.local.sfn;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Task state's Resource, as far as the local runtime can run it. {@code resourceType} and
 * {@code action} are what the history's taskScheduledEventDetails call resourceType/resource
 * ("lambda"/"invoke", "dynamodb"/"putItem").
 */
record TaskResource(String arn, String resourceType, String action) {

    private static final Pattern OPTIMIZED = Pattern.compile("arn:aws[a-z-]*:states:::([a-z0-9-]+):([A-Za-z0-9]+)");
    private static final Pattern LAMBDA_FUNCTION = Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?");
    private static final Set<String> DYNAMODB_ACTIONS = Set.of("putItem", "getItem", "updateItem", "deleteItem");
    /** What {@link #parse} accepts, as the validator's INVALID_RESOURCE message lists it. */
    static final String SUPPORTED = "arn:aws:states:::lambda:invoke, arn:aws:states:::dynamodb:putItem|getItem|updateItem|deleteItem,"
            + " arn:aws:lambda:<region>:<account>:function:<name>";

    static Optional<TaskResource> parse(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        Matcher optimized = OPTIMIZED.matcher(arn);
        if (optimized.matches()) {
            String service = optimized.group(1);
            String action = optimized.group(2);
            boolean known = service.equals("lambda") && action.equals("invoke")
                    || service.equals("dynamodb") && DYNAMODB_ACTIONS.contains(action);
            return known ? Optional.of(new TaskResource(arn, service, action)) : Optional.empty();
        }
        if (LAMBDA_FUNCTION.matcher(arn).matches()) {
            return Optional.of(new TaskResource(arn, "lambda", "function"));
        }
        return Optional.empty();
    }

    /** A direct function ARN as Resource (the pre-optimized style): the input is the payload, the payload is the result. */
    boolean isLambdaFunctionArn() {
        return action.equals("function");
    }
}
