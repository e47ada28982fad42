package dev.wsfanout.local.sfn;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Step Functions API operations over {@link LocalStepFunctions}, in the request/response
 * member names of the AWS JSON 1.0 protocol (timestamps as epoch seconds). One method per
 * operation; {@link StepFunctionsServer} does the HTTP part.
 */
final class StepFunctionsApi {

    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;
    private static final Set<String> EXECUTION_DATA = Set.of("input", "output", "parameters", "inputDetails", "outputDetails");

    private final LocalStepFunctions service;
    private final Map<String, Function<Request, Map<String, Object>>> operations = new LinkedHashMap<>();

    StepFunctionsApi(LocalStepFunctions service) {
        this.service = service;
        operations.put("CreateStateMachine", this::createStateMachine);
        operations.put("UpdateStateMachine", this::updateStateMachine);
        operations.put("DeleteStateMachine", this::deleteStateMachine);
        operations.put("DescribeStateMachine", this::describeStateMachine);
        operations.put("ListStateMachines", this::listStateMachines);
        operations.put("ValidateStateMachineDefinition", this::validateStateMachineDefinition);
        operations.put("StartExecution", this::startExecution);
        operations.put("DescribeExecution", this::describeExecution);
        operations.put("ListExecutions", this::listExecutions);
        operations.put("StopExecution", this::stopExecution);
        operations.put("GetExecutionHistory", this::getExecutionHistory);
        operations.put("DescribeMapRun", this::describeMapRun);
    }

    /** The request members of one call, with typed accessors that reject wrong types by member name. */
    record Request(String operation, Map<String, Object> members) {

        String string(String name) {
            Object value = members.get(name);
            if (value != null && !(value instanceof String)) {
                throw new StepFunctionsException("ValidationException", operation + ": member '" + name + "' must be a string");
            }
            return (String) value;
        }

        String requiredString(String name) {
            String value = string(name);
            if (value == null) {
                throw new StepFunctionsException("ValidationException", operation + ": member '" + name + "' is required");
            }
            return value;
        }

        Integer integer(String name) {
            Object value = members.get(name);
            if (value != null && !(value instanceof Long)) {
                throw new StepFunctionsException("ValidationException", operation + ": member '" + name + "' must be an integer");
            }
            return value == null ? null : ((Long) value).intValue();
        }

        boolean bool(String name, boolean fallback) {
            Object value = members.get(name);
            if (value != null && !(value instanceof Boolean)) {
                throw new StepFunctionsException("ValidationException", operation + ": member '" + name + "' must be a boolean");
            }
            return value == null ? fallback : (Boolean) value;
        }
    }

    Map<String, Object> handle(String operation, Map<String, Object> members) {
        Function<Request, Map<String, Object>> handler = operations.get(operation);
        if (handler == null) {
            throw new StepFunctionsException("UnknownOperationException", "The local Step Functions endpoint does not support "
                    + operation + " (supported: " + operations.keySet() + ")");
        }
        return handler.apply(new Request(operation, members));
    }

    private static double epochSeconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    private static Map<String, Object> object(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }

    private Map<String, Object> createStateMachine(Request request) {
        StateMachineDescription machine = service.createStateMachine(request.requiredString("name"),
                request.requiredString("definition"), request.string("roleArn"), request.string("type"));
        return object("stateMachineArn", machine.stateMachineArn(), "creationDate", epochSeconds(machine.creationDate()));
    }

    private Map<String, Object> updateStateMachine(Request request) {
        service.updateStateMachine(request.requiredString("stateMachineArn"), request.string("definition"), request.string("roleArn"));
        return object("updateDate", epochSeconds(Instant.now()));
    }

    private Map<String, Object> deleteStateMachine(Request request) {
        service.deleteStateMachine(request.requiredString("stateMachineArn"));
        return object();
    }

    private Map<String, Object> describeStateMachine(Request request) {
        StateMachineDescription machine = service.describeStateMachine(request.requiredString("stateMachineArn"));
        return object("stateMachineArn", machine.stateMachineArn(), "name", machine.name(), "status", "ACTIVE",
                "definition", machine.definition(), "roleArn", machine.roleArn(), "type", machine.type(),
                "creationDate", epochSeconds(machine.creationDate()),
                "loggingConfiguration", object("level", "OFF", "includeExecutionData", false),
                "tracingConfiguration", object("enabled", false));
    }

    private Map<String, Object> listStateMachines(Request request) {
        List<Object> all = new ArrayList<>();
        for (StateMachineDescription machine : service.listStateMachines()) {
            all.add(object("stateMachineArn", machine.stateMachineArn(), "name", machine.name(), "type", machine.type(),
                    "creationDate", epochSeconds(machine.creationDate())));
        }
        return page(request, all, "stateMachines");
    }

    private Map<String, Object> validateStateMachineDefinition(Request request) {
        List<Diagnostic> diagnostics = service.validateDefinition(request.requiredString("definition"));
        List<Object> out = new ArrayList<>();
        for (Diagnostic diagnostic : diagnostics) {
            out.add(object("severity", diagnostic.severity(), "code", diagnostic.code(), "message", diagnostic.message(),
                    "location", diagnostic.location()));
        }
        boolean failed = diagnostics.stream().anyMatch(d -> d.severity().equals("ERROR"));
        return object("result", failed ? "FAIL" : "OK", "diagnostics", out, "truncated", false);
    }

    private Map<String, Object> startExecution(Request request) {
        ExecutionDescription execution = service.startExecution(request.requiredString("stateMachineArn"),
                request.string("name"), request.string("input"));
        return object("executionArn", execution.executionArn(), "startDate", epochSeconds(execution.startDate()));
    }

    private Map<String, Object> describeExecution(Request request) {
        ExecutionDescription e = service.describeExecution(request.requiredString("executionArn"));
        return object("executionArn", e.executionArn(), "stateMachineArn", e.stateMachineArn(), "name", e.name(),
                "status", e.status().name(), "startDate", epochSeconds(e.startDate()),
                "stopDate", e.stopDate() == null ? null : epochSeconds(e.stopDate()),
                "input", e.input(), "inputDetails", object("included", true),
                "output", e.output(), "outputDetails", e.output() == null ? null : object("included", true),
                "error", e.error(), "cause", e.cause(), "mapRunArn", e.mapRunArn(), "redriveCount", 0L);
    }

    private Map<String, Object> listExecutions(Request request) {
        String filter = request.string("statusFilter");
        ExecutionStatus status;
        try {
            status = filter == null ? null : ExecutionStatus.valueOf(filter);
        } catch (IllegalArgumentException e) {
            throw new StepFunctionsException("ValidationException", "statusFilter must be one of RUNNING, SUCCEEDED, FAILED,"
                    + " TIMED_OUT, ABORTED, was " + filter);
        }
        List<Object> all = new ArrayList<>();
        for (ExecutionDescription e : service.listExecutions(request.string("stateMachineArn"), request.string("mapRunArn"), status)) {
            all.add(object("executionArn", e.executionArn(), "stateMachineArn", e.stateMachineArn(), "name", e.name(),
                    "status", e.status().name(), "startDate", epochSeconds(e.startDate()),
                    "stopDate", e.stopDate() == null ? null : epochSeconds(e.stopDate()), "mapRunArn", e.mapRunArn()));
        }
        return page(request, all, "executions");
    }

    private Map<String, Object> stopExecution(Request request) {
        ExecutionDescription e = service.stopExecution(request.requiredString("executionArn"), request.string("error"),
                request.string("cause"));
        return object("stopDate", epochSeconds(e.stopDate()));
    }

    private Map<String, Object> getExecutionHistory(Request request) {
        List<HistoryEvent> events = new ArrayList<>(service.executionHistory(request.requiredString("executionArn")));
        if (request.bool("reverseOrder", false)) {
            Collections.reverse(events);
        }
        boolean includeData = request.bool("includeExecutionData", true);
        List<Object> all = new ArrayList<>();
        for (HistoryEvent event : events) {
            Map<String, Object> out = object("timestamp", epochSeconds(event.timestamp()), "type", event.type(),
                    "id", event.id(), "previousEventId", event.previousEventId());
            if (event.detailsName() != null) {
                Map<String, Object> details = new LinkedHashMap<>(event.details());
                if (!includeData) {
                    details.keySet().removeAll(EXECUTION_DATA);
                }
                out.put(event.detailsName(), details);
            }
            all.add(out);
        }
        return page(request, all, "events");
    }

    private Map<String, Object> describeMapRun(Request request) {
        MapRunDescription run = service.describeMapRun(request.requiredString("mapRunArn"));
        return object("mapRunArn", run.mapRunArn(), "executionArn", run.executionArn(), "status", run.status(),
                "startDate", epochSeconds(run.startDate()), "stopDate", run.stopDate() == null ? null : epochSeconds(run.stopDate()),
                "maxConcurrency", (long) run.maxConcurrency(), "toleratedFailurePercentage", run.toleratedFailurePercentage(),
                "toleratedFailureCount", run.toleratedFailureCount(), "itemCounts", counts(run.itemCounts()),
                "executionCounts", counts(run.executionCounts()), "redriveCount", 0L);
    }

    private static Map<String, Object> counts(MapRunDescription.Counts counts) {
        return object("pending", counts.pending(), "running", counts.running(), "succeeded", counts.succeeded(),
                "failed", counts.failed(), "timedOut", counts.timedOut(), "aborted", counts.aborted(), "total", counts.total(),
                "resultsWritten", 0L, "failuresNotRedrivable", 0L, "pendingRedrive", 0L);
    }

    /** One page of {@code all} per maxResults/nextToken; the token is the opaque offset of the next page. */
    private static Map<String, Object> page(Request request, List<Object> all, String member) {
        Integer maxResults = request.integer("maxResults");
        int size = maxResults == null || maxResults == 0 ? DEFAULT_PAGE : maxResults;
        if (size < 0 || size > MAX_PAGE) {
            throw new StepFunctionsException("ValidationException", "maxResults must be between 0 and " + MAX_PAGE + ", was " + maxResults);
        }
        int from = 0;
        String token = request.string("nextToken");
        if (token != null) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new StepFunctionsException("InvalidToken", "Invalid Token: '" + token + "'");
            }
            if (from < 0 || from > all.size()) {
                throw new StepFunctionsException("InvalidToken", "Invalid Token: '" + token + "'");
            }
        }
        int to = Math.min(all.size(), from + size);
        Map<String, Object> out = object(member, new ArrayList<>(all.subList(from, to)));
        if (to < all.size()) {
            out.put("nextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
