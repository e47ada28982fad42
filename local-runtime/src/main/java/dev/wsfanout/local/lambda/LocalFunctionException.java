package dev.wsfanout.local.lambda;

/**
 * A failed invocation, carrying the two fields a Lambda function error has on AWS: the error type
 * (the exception's class name for Java handlers, or a runtime error such as "Sandbox.Timedout")
 * and its message. Step Functions matches {@code errorType} against Retry/Catch ErrorEquals.
 * A {@link LambdaThrottleException} is the Lambda service refusing the invocation instead.
 */
public class LocalFunctionException extends Exception {

    private final String functionName;
    private final String errorType;
    private final String errorMessage;

    public LocalFunctionException(String functionName, String errorType, String errorMessage) {
        this(functionName, errorType, errorMessage, null);
    }

    public LocalFunctionException(String functionName, String errorType, String errorMessage, Throwable cause) {
        super(functionName + ": " + errorType + ": " + errorMessage, cause);
        this.functionName = functionName;
        this.errorType = errorType;
        this.errorMessage = errorMessage;
    }

    public String functionName() {
        return functionName;
    }

    public String errorType() {
        return errorType;
    }

    public String errorMessage() {
        return errorMessage;
    }
}
