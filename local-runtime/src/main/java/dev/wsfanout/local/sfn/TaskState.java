package dev.wsfanout.local.sfn;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Task: calls its integration with the evaluated Parameters/Arguments, recording the call's
 * {@link TaskEvents}. With TimeoutSeconds the call runs on a pool thread and fails with
 * States.Timeout when it takes longer.
 */
final class TaskState implements StateRunner {

    static final StateSpec SPEC = StateSpec.of("Task", StateSpec.Flow.NEXT_OR_END,
                    Set.of("Assign", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Retry", "Catch", "Credentials"),
                    Set.of("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "TimeoutSecondsPath", "HeartbeatSecondsPath"),
                    Set.of("Arguments", "Output"))
            .checkedBy(TaskState::validate)
            .parsedBy(json -> json.get("Resource") instanceof String arn ? TaskResource.parse(arn).orElse(null) : null);

    /** Resource must be one the local runtime runs; TimeoutSeconds/HeartbeatSeconds positive integers, not with their *Path. */
    private static void validate(DefinitionValidator validator, StateSpec.Site site) {
        Object resource = site.get("Resource");
        if (!(resource instanceof String arn)) {
            validator.error("SCHEMA_VALIDATION_FAILED", site.at("Resource"), "These fields are required: [Resource]");
        } else if (TaskResource.parse(arn).isEmpty()) {
            validator.error("INVALID_RESOURCE", site.at("Resource"), "The resource provided " + arn + " is not recognized by the local"
                    + " runtime (supported: " + TaskResource.SUPPORTED + ")");
        }
        for (String field : List.of("TimeoutSeconds", "HeartbeatSeconds")) {
            Object value = site.get(field);
            if (value != null && !DefinitionValidator.isPositiveInteger(value) && !DefinitionValidator.isJsonata(value)) {
                validator.error("SCHEMA_VALIDATION_FAILED", site.at(field), field + " must be a positive integer");
            }
            if (value != null && site.has(field + "Path")) {
                validator.error("SCHEMA_VALIDATION_FAILED", site.at(field), field + " and " + field + "Path cannot both be set");
            }
        }
    }

    private final Map<String, TaskIntegration> integrations;
    private final ExecutorService pool;
    private final String region;

    TaskState(Map<String, TaskIntegration> integrations, ExecutorService pool, String region) {
        this.integrations = integrations;
        this.pool = pool;
        this.region = region;
    }

    @Override
    public StateOutcome run(StateVisit visit) {
        StateDefinition state = visit.state();
        StateIO io = StateIO.of(state);
        Object effective = io.effectiveInput(visit);
        Object arguments = io.arguments(visit, effective);
        TaskResource resource = state.details(TaskResource.class);
        if (resource == null) {
            throw new StatesError(StatesError.RUNTIME, "unsupported resource " + state.field("Resource"));
        }
        Long timeout = timeoutSeconds(visit, io, effective);
        Quotas quotas = visit.execution().quotas();
        if (quotas.payloadTooLarge(Json.write(arguments))) {
            // "the state's input is larger than the payload size quota after Parameters processing": terminal
            throw StatesError.terminal(StatesError.DATA_LIMIT_EXCEEDED, Quotas.dataLimitCause(state.name()));
        }
        HistoryCursor cursor = visit.branch().cursor();
        TaskEvents events = TaskEvents.of(resource, region);
        events.scheduled(cursor, arguments, timeout);
        Object result;
        try {
            result = call(resource, arguments, timeout, visit);
            if (quotas.payloadTooLarge(Json.write(result))) {
                // the connector's output: an ordinary task failure that Retry and Catch (States.ALL too) handle, as AWS records it
                throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED,
                        Quotas.dataLimitCause(resource.isLambdaFunctionArn() ? resource.arn() : resource.resourceType()));
            }
        } catch (StatesError e) {
            events.failed(cursor, e);
            throw e;
        }
        events.succeeded(cursor, result);
        return io.withResult(visit, result, state.next());
    }

    private static Long timeoutSeconds(StateVisit visit, StateIO io, Object effective) {
        Object value = io.value(visit, "TimeoutSeconds", effective);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Long seconds) || seconds < 1) {
            throw new StatesError(visit.state().isJsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
                    "The TimeoutSeconds of state '" + visit.state().name() + "' must be a positive integer, was " + Json.write(value));
        }
        return seconds;
    }

    private Object call(TaskResource resource, Object arguments, Long timeout, StateVisit visit) {
        TaskIntegration integration = integrations.get(resource.resourceType());
        if (timeout == null) {
            return guarded(integration, resource, arguments);
        }
        Future<Object> call = pool.submit(() -> guarded(integration, resource, arguments));
        try {
            return call.get(visit.execution().time().realNanos(Duration.ofSeconds(timeout)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StatesError(StatesError.TIMEOUT, "Task timed out after " + timeout + " seconds");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StatesError(StatesError.TASK_FAILED, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new Cancellation.Cancelled();
        }
    }

    private static Object guarded(TaskIntegration integration, TaskResource resource, Object arguments) {
        try {
            return integration.call(resource, arguments);
        } catch (StatesError | Cancellation.Cancelled e) {
            throw e;
        } catch (RuntimeException e) {
            // a bug or an unexpected client failure still fails only this task, with the reason in the cause
            throw new StatesError(StatesError.TASK_FAILED, e.toString());
        }
    }
}
