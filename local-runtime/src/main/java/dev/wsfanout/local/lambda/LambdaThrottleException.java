package dev.wsfanout.local.lambda;

/**
 * A synchronous invocation refused because the account's concurrency was exhausted: what the
 * Lambda Invoke API answers with HTTP 429 and {@code x-amzn-ErrorType: TooManyRequestsException},
 * body {@code {"Reason":"ConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}}
 * (the Reason values are the Lambda API's ThrottleReason enum; the message text is what the
 * service sends, not part of the API reference).
 *
 * <p>{@link #errorType()} is {@code Lambda.TooManyRequestsException}, the name Step Functions
 * gives this failure of a Lambda task, so a Retry on it (statemachine/broadcast.asl.json retries
 * it, 1 s doubling, 4 attempts) matches here as it does on AWS. The function did not run.
 */
public final class LambdaThrottleException extends LocalFunctionException {

    /** Step Functions' name of the failure. */
    public static final String ERROR_TYPE = "Lambda.TooManyRequestsException";
    /** The Invoke API's x-amzn-ErrorType. */
    public static final String SERVICE_ERROR = "TooManyRequestsException";
    /** ThrottleReason when the account (unreserved) concurrency is exhausted. */
    public static final String ACCOUNT_LIMIT = "ConcurrentInvocationLimitExceeded";
    public static final String MESSAGE = "Rate Exceeded.";
    public static final int STATUS_CODE = 429;

    private final String reason;

    LambdaThrottleException(String functionName, String reason) {
        super(functionName, ERROR_TYPE, MESSAGE);
        this.reason = reason;
    }

    /** Lambda's ThrottleReason, e.g. {@value #ACCOUNT_LIMIT}. */
    public String reason() {
        return reason;
    }

    public int statusCode() {
        return STATUS_CODE;
    }

    /** The Invoke API's error body for this throttle. */
    public String responseBody() {
        return "{\"Reason\":\"" + reason + "\",\"Type\":\"User\",\"message\":\"" + MESSAGE + "\"}";
    }
}
