package dev.wsfanout.local.sfn;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The local Step Functions service: creates state machines from ASL definitions (validated as
 * ValidateStateMachineDefinition does), starts executions on its own threads and answers the
 * same questions the API does. Every method throws {@link StepFunctionsException} named like the
 * API's error for bad input. {@link StepFunctionsServer} puts it behind the AWS JSON protocol.
 */
public final class LocalStepFunctions implements AutoCloseable {

    /** Default cap on the threads one Map state uses for its iterations or child executions. */
    public static final int DEFAULT_WORKER_LIMIT = 64;

    private static final String DEFAULT_ROLE = "arn:aws:iam::000000000000:role/wsfanout-local-stepfunctions";
    /** Names: 1-80 characters, none of whitespace, brackets, wildcards, the listed specials or control characters. */
    private static final Pattern VALID_NAME = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\u0000-\\u001f\\u007f-\\u009f]{1,80}");

    private final StepFunctionsStore store = new StepFunctionsStore();
    private final ExecutionEngine engine;
    private final Arns arns;
    private final TimeSource time;
    private final Quotas quotas;

    public LocalStepFunctions(TaskResources resources) {
        this(resources, TimeSource.system(), DEFAULT_WORKER_LIMIT);
    }

    /** @param workerLimit most threads one Map state runs at once (its MaxConcurrency is capped by it) */
    public LocalStepFunctions(TaskResources resources, TimeSource time, int workerLimit) {
        this(resources, time, workerLimit, Quotas.aws());
    }

    /**
     * @param quotas the AWS limits executions run under: {@link Quotas#aws()} everywhere except a
     *               benchmark that lifts one with {@link Quotas#without} and says why
     */
    public LocalStepFunctions(TaskResources resources, TimeSource time, int workerLimit, Quotas quotas) {
        Objects.requireNonNull(resources, "resources");
        if (workerLimit < 1) {
            throw new IllegalArgumentException("workerLimit must be >= 1, was " + workerLimit);
        }
        this.time = Objects.requireNonNull(time, "time");
        this.quotas = Objects.requireNonNull(quotas, "quotas");
        this.arns = new Arns(resources.region(), resources.accountId());
        this.engine = new ExecutionEngine(store, resources, time, workerLimit, quotas);
    }

    /** The limits this service's executions run under. */
    public Quotas quotas() {
        return quotas;
    }

    /** All problems of {@code definition}; empty when valid. */
    public List<Diagnostic> validateDefinition(String definition) {
        return DefinitionValidator.validate(definition);
    }

    /**
     * Creates a state machine. Creating one again with the same name, definition and role returns
     * the existing one (as the API does); a different definition under the same name is
     * StateMachineAlreadyExists.
     *
     * @param type STANDARD or EXPRESS (null: STANDARD)
     */
    public StateMachineDescription createStateMachine(String name, String definition, String roleArn, String type) {
        requireName(name, "state machine name");
        String machineType = type == null ? "STANDARD" : type;
        if (!machineType.equals("STANDARD") && !machineType.equals("EXPRESS")) {
            throw new StepFunctionsException("ValidationException", "type must be STANDARD or EXPRESS, was " + type);
        }
        String role = roleArn == null ? DEFAULT_ROLE : roleArn;
        StateMachine machine = new StateMachine(new StateMachineDescription(arns.stateMachine(name), name, definition, role,
                machineType, time.now()), parse(definition));
        StateMachine stored = store.putStateMachineIfAbsent(machine);
        if (stored != machine && !(stored.description().definition().equals(definition)
                && stored.description().roleArn().equals(role) && stored.description().type().equals(machineType))) {
            throw new StepFunctionsException("StateMachineAlreadyExists", "State Machine Already Exists: '" + stored.arn() + "'");
        }
        return stored.description();
    }

    /** Replaces the definition (and role, when given) of an existing state machine; running executions keep the old one. */
    public StateMachineDescription updateStateMachine(String stateMachineArn, String definition, String roleArn) {
        StateMachine existing = requireStateMachine(stateMachineArn);
        StateMachineDescription old = existing.description();
        String newDefinition = definition == null ? old.definition() : definition;
        StateMachine updated = new StateMachine(new StateMachineDescription(old.stateMachineArn(), old.name(), newDefinition,
                roleArn == null ? old.roleArn() : roleArn, old.type(), old.creationDate()), parse(newDefinition));
        store.replaceStateMachine(updated);
        return updated.description();
    }

    public void deleteStateMachine(String stateMachineArn) {
        if (store.removeStateMachine(stateMachineArn) == null) {
            throw new StepFunctionsException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + stateMachineArn + "'");
        }
    }

    public StateMachineDescription describeStateMachine(String stateMachineArn) {
        return requireStateMachine(stateMachineArn).description();
    }

    public List<StateMachineDescription> listStateMachines() {
        return store.stateMachines().stream().map(StateMachine::description).toList();
    }

    /**
     * Starts an execution (it runs on the service's threads). Starting again with the name and
     * input of a running execution returns that execution; otherwise a used name is
     * ExecutionAlreadyExists.
     *
     * @param name  null for a generated one
     * @param input JSON text; null for {}
     */
    public ExecutionDescription startExecution(String stateMachineArn, String name, String input) {
        StateMachine machine = requireStateMachine(stateMachineArn);
        String executionName = name == null ? UUID.randomUUID().toString() : name;
        requireName(executionName, "execution name");
        String inputText = input == null ? "{}" : input;
        if (quotas.payloadTooLarge(inputText)) {
            // the API model's constraint on StartExecution.input: at most 262144 bytes in UTF-8
            throw new StepFunctionsException("ValidationException", "1 validation error detected: Value at 'input' failed to satisfy"
                    + " constraint: Member must have length less than or equal to " + Quotas.MAX_PAYLOAD_BYTES);
        }
        Object parsedInput;
        try {
            parsedInput = Json.parse(inputText, "execution input");
        } catch (IllegalArgumentException e) {
            throw new StepFunctionsException("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + e.getMessage() + "'");
        }
        Execution execution = new Execution(arns.execution(machine.name(), executionName), executionName, machine, inputText,
                parsedInput, null, null, time, quotas);
        Execution stored = store.putExecutionIfAbsent(execution);
        if (stored != execution) {
            boolean sameRunning = stored.status() == ExecutionStatus.RUNNING && Objects.equals(stored.input(), parsedInput);
            if (sameRunning) {
                return stored.describe();
            }
            throw new StepFunctionsException("ExecutionAlreadyExists", "Execution Already Exists: '" + stored.arn() + "'");
        }
        engine.start(execution);
        return execution.describe();
    }

    public ExecutionDescription describeExecution(String executionArn) {
        return requireExecution(executionArn).describe();
    }

    /** Blocks until the execution has finished (or {@code timeout} passed) and returns how it stands. */
    public ExecutionDescription awaitExecution(String executionArn, Duration timeout) throws InterruptedException {
        Execution execution = requireExecution(executionArn);
        execution.awaitFinish(timeout);
        return execution.describe();
    }

    /**
     * Executions newest first: of one state machine, or the children of one map run.
     *
     * @param statusFilter null for all
     */
    public List<ExecutionDescription> listExecutions(String stateMachineArn, String mapRunArn, ExecutionStatus statusFilter) {
        if (stateMachineArn == null && mapRunArn == null) {
            throw new StepFunctionsException("ValidationException", "Either stateMachineArn or mapRunArn must be given");
        }
        if (stateMachineArn != null) {
            requireStateMachine(stateMachineArn);
        }
        if (mapRunArn != null) {
            requireMapRun(mapRunArn);
        }
        return store.executions().stream()
                .map(Execution::describe)
                .filter(e -> mapRunArn != null ? mapRunArn.equals(e.mapRunArn())
                        : stateMachineArn.equals(e.stateMachineArn()) && e.mapRunArn() == null)
                .filter(e -> statusFilter == null || e.status() == statusFilter)
                .toList();
    }

    /** Stops a running execution (ABORTED, with an ExecutionAborted event); stopping a finished one changes nothing. */
    public ExecutionDescription stopExecution(String executionArn, String error, String cause) {
        Execution execution = requireExecution(executionArn);
        execution.finish(ExecutionStatus.ABORTED, null, error, cause, execution.history().lastId(), "ExecutionAborted",
                "executionAbortedEventDetails", "error", error, "cause", cause);
        return execution.describe();
    }

    public List<HistoryEvent> executionHistory(String executionArn) {
        return requireExecution(executionArn).history().events();
    }

    public MapRunDescription describeMapRun(String mapRunArn) {
        return requireMapRun(mapRunArn).describe();
    }

    private Workflow parse(String definition) {
        List<Diagnostic> diagnostics = DefinitionValidator.validate(definition);
        if (!diagnostics.isEmpty()) {
            throw new StepFunctionsException("InvalidDefinition", "Invalid State Machine Definition: '"
                    + String.join(", ", diagnostics.stream().map(Diagnostic::toString).toList()) + "'");
        }
        return Workflow.parse(Json.asObject(Json.parse(definition, "definition")), QueryLanguage.JSONPATH);
    }

    private static void requireName(String name, String what) {
        if (name == null || !VALID_NAME.matcher(name).matches()) {
            throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "' (" + what
                    + ": 1 to 80 characters, no whitespace, brackets, wildcards, special characters such as : / $ or control characters)");
        }
    }

    private StateMachine requireStateMachine(String arn) {
        requireArn(arn, ":stateMachine:");
        StateMachine machine = store.stateMachine(arn);
        if (machine == null) {
            throw new StepFunctionsException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return machine;
    }

    private Execution requireExecution(String arn) {
        if (arn == null || !arn.startsWith("arn:aws:states:") || !(arn.contains(":execution:") || arn.contains(":express:"))) {
            throw new StepFunctionsException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        Execution execution = store.execution(arn);
        if (execution == null) {
            throw new StepFunctionsException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return execution;
    }

    private MapRun requireMapRun(String arn) {
        requireArn(arn, ":mapRun:");
        MapRun run = store.mapRun(arn);
        if (run == null) {
            throw new StepFunctionsException("ResourceNotFound", "Resource not found: '" + arn + "'");
        }
        return run;
    }

    private static void requireArn(String arn, String kind) {
        if (arn == null || !arn.startsWith("arn:aws:states:") || !arn.contains(kind)) {
            throw new StepFunctionsException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
