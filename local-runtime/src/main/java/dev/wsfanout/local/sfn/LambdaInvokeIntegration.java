package dev.wsfanout.local.sfn;

import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.lambda.LocalFunctionException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Arrays;

/**
 * arn:aws:states:::lambda:invoke (and a function ARN as Resource) against the local functions.
 * The result has the optimized integration's shape: {"ExecutedVersion", "Payload" (the parsed
 * response), "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"}; a function error fails the
 * task with the function's errorType as error and Lambda's error JSON as cause (AWS developer
 * guide, "Invoke an AWS Lambda function with Step Functions").
 */
final class LambdaInvokeIntegration implements TaskIntegration {

    private static final Pattern FUNCTION_NAME = Pattern.compile(
            "(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(?:\\d{12}:)?(?:function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?");

    private final TaskResources resources;

    LambdaInvokeIntegration(TaskResources resources) {
        this.resources = resources;
    }

    @Override
    public Object call(TaskResource resource, Object arguments) {
        if (resource.isLambdaFunctionArn()) {
            return parsePayload(invoke(function(resource.arn()), arguments));
        }
        if (!(arguments instanceof Map<?, ?> raw) || !(raw.get("FunctionName") instanceof String functionName)) {
            throw new StatesError("Lambda.InvalidParameterValueException",
                    "The arguments of lambda:invoke need a FunctionName string, got " + Json.write(arguments));
        }
        Map<String, Object> args = Json.asObject(raw);
        for (String key : args.keySet()) {
            if (!List.of("FunctionName", "Payload", "InvocationType", "Qualifier", "ClientContext", "LogType").contains(key)) {
                throw new StatesError("Lambda.InvalidParameterValueException", "The field '" + key
                        + "' is not supported by lambda:invoke (supported: FunctionName, Payload, InvocationType, Qualifier, ClientContext, LogType)");
            }
        }
        LocalFunction function = function(functionName);
        Object payload = args.containsKey("Payload") ? args.get("Payload") : Map.of();
        Map<String, Object> result = new LinkedHashMap<>();
        String requestId = UUID.randomUUID().toString();
        if ("Event".equals(args.get("InvocationType"))) {
            Thread async = new Thread(() -> invokeQuietly(function, payload), "lambda-event-" + function.name());
            async.setDaemon(true);
            async.start();
            result.put("Payload", "");
            result.put("StatusCode", 202L);
        } else {
            result.put("ExecutedVersion", "$LATEST");
            result.put("Payload", parsePayload(invoke(function, payload)));
            result.put("StatusCode", 200L);
        }
        result.put("SdkHttpMetadata", Map.of("HttpHeaders", Map.of("Content-Type", "application/json",
                "x-amzn-RequestId", requestId), "HttpStatusCode", result.get("StatusCode")));
        result.put("SdkResponseMetadata", Map.of("RequestId", requestId));
        return result;
    }

    private LocalFunction function(String nameOrArn) {
        Matcher matcher = FUNCTION_NAME.matcher(nameOrArn);
        String name = matcher.matches() ? matcher.group(1) : nameOrArn;
        LocalFunction function = resources.functions().get(name);
        if (function == null) {
            throw new StatesError("Lambda.ResourceNotFoundException", "Function not found: arn:aws:lambda:" + resources.region() + ":"
                    + resources.accountId() + ":function:" + name + " (Service: Lambda, Status Code: 404; local functions: "
                    + resources.functions().keySet() + ")");
        }
        return function;
    }

    private static byte[] invoke(LocalFunction function, Object payload) {
        try {
            return function.invoke(Json.writeBytes(payload));
        } catch (LocalFunctionException e) {
            if (e.errorType().equals("Interrupted")) {
                throw new Cancellation.Cancelled();
            }
            Map<String, Object> cause = new LinkedHashMap<>();
            cause.put("errorMessage", e.errorMessage());
            cause.put("errorType", e.errorType());
            if (e.getCause() != null) {
                cause.put("stackTrace", Arrays.stream(e.getCause().getStackTrace()).limit(20)
                        .map(StackTraceElement::toString).toList());
            }
            throw new StatesError(e.errorType(), Json.write(cause));
        }
    }

    private static void invokeQuietly(LocalFunction function, Object payload) {
        try {
            function.invoke(Json.writeBytes(payload));
        } catch (LocalFunctionException e) {
            System.err.println("asynchronous invocation of " + function.name() + " failed: " + e.getMessage());
        }
    }

    private static Object parsePayload(byte[] response) {
        String text = new String(response, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        try {
            return Json.parse(text, "the function response");
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
