package dev.wsfanout.local.sfn;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.HashMap;

/**
 * Runs executions on pool threads: the top-level ones started through the API and the child
 * executions of Distributed Maps. It owns the threads, the state runners and the execution
 * timeout timer; the store keeps what it creates.
 */
final class ExecutionEngine implements AutoCloseable {

    /** The cause of an Express execution's ExecutionTimedOut at its 5-minute limit (the wording is the local runtime's). */
    static final String EXPRESS_LIMIT_CAUSE = "The execution exceeded the maximum duration of an Express execution (5 minutes)";

    private final StepFunctionsStore store;
    private final Arns arns;
    private final TimeSource time;
    private final ExecutorService pool;
    private final ScheduledThreadPoolExecutor timers;
    private final WorkflowRunner runner;
    private final Quotas quotas;

    ExecutionEngine(StepFunctionsStore store, TaskResources resources, TimeSource time, int workerLimit, Quotas quotas) {
        this.store = store;
        this.arns = new Arns(resources.region(), resources.accountId());
        this.time = time;
        this.quotas = quotas;
        this.pool = Executors.newCachedThreadPool(daemonThreads("sfn-worker"));
        this.timers = new ScheduledThreadPoolExecutor(1, daemonThreads("sfn-timer"));
        // every child of a Distributed Map arms a 5-minute timer and cancels it when done: drop cancelled ones at once
        this.timers.setRemoveOnCancelPolicy(true);
        Map<String, TaskIntegration> integrations = Map.of(
                "lambda", new LambdaInvokeIntegration(resources),
                "dynamodb", new DynamoDbIntegration(resources.dynamoDb()));
        Map<String, StateRunner> runners = new HashMap<>();
        this.runner = new WorkflowRunner(runners);
        runners.put("Pass", new PassState());
        runners.put("Task", new TaskState(integrations, pool, resources.region()));
        runners.put("Choice", new ChoiceState());
        runners.put("Wait", new WaitState());
        runners.put("Succeed", new SucceedState());
        runners.put("Fail", new FailState());
        runners.put("Parallel", new ParallelState(runner, pool));
        runners.put("Map", new InlineMapState(runner, pool, workerLimit));
        runners.put("DistributedMap", new DistributedMapState(this, pool, workerLimit));
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    StepFunctionsStore store() {
        return store;
    }

    Arns arns() {
        return arns;
    }

    Quotas quotas() {
        return quotas;
    }

    /** Starts {@code execution} on a pool thread, arming the state machine's TimeoutSeconds if it has one. */
    void start(Execution execution) {
        Workflow workflow = execution.stateMachine().workflow();
        if (workflow.timeoutSeconds() != null) {
            timers.schedule(() -> execution.finish(ExecutionStatus.TIMED_OUT, null, StatesError.TIMEOUT,
                            "The execution exceeded its TimeoutSeconds of " + workflow.timeoutSeconds(),
                            execution.history().lastId(), "ExecutionTimedOut", "executionTimedOutEventDetails",
                            "error", StatesError.TIMEOUT, "cause", "The execution exceeded its TimeoutSeconds of " + workflow.timeoutSeconds()),
                    time.realNanos(Duration.ofSeconds(workflow.timeoutSeconds())), TimeUnit.NANOSECONDS);
        }
        ScheduledFuture<?> expressLimit = armExpressLimit(execution);
        pool.submit(() -> {
            try {
                runToEnd(execution, workflow);
            } finally {
                if (expressLimit != null) {
                    expressLimit.cancel(false);
                }
            }
        });
    }

    /**
     * Ends an Express execution TIMED_OUT (States.Timeout, ExecutionTimedOut) once it has run 5
     * minutes of the time source, as AWS stops Express executions; null for Standard executions
     * or when the quota is lifted.
     */
    private ScheduledFuture<?> armExpressLimit(Execution execution) {
        if (!execution.isExpress() || !quotas.enforces(Quotas.Quota.EXPRESS_DURATION)) {
            return null;
        }
        return timers.schedule(() -> execution.finish(ExecutionStatus.TIMED_OUT, null, StatesError.TIMEOUT, EXPRESS_LIMIT_CAUSE,
                        execution.history().lastId(), "ExecutionTimedOut", "executionTimedOutEventDetails",
                        "error", StatesError.TIMEOUT, "cause", EXPRESS_LIMIT_CAUSE),
                time.realNanos(Quotas.MAX_EXPRESS_DURATION), TimeUnit.NANOSECONDS);
    }

    /**
     * The state machine a Distributed Map's children belong to: arn ...:stateMachine:parent/label,
     * of the type its ProcessorConfig.ExecutionType names (EXPRESS: 5 minutes each; STANDARD: a
     * 25,000-event history each).
     */
    StateMachine childStateMachine(StateMachine parent, String label, Workflow itemProcessor, String executionType) {
        StateMachineDescription description = parent.description();
        return new StateMachine(new StateMachineDescription(arns.childStateMachine(parent.name(), label),
                parent.name() + "/" + label, description.definition(), description.roleArn(), executionType,
                description.creationDate()), itemProcessor);
    }

    Execution newChild(StateMachine childMachine, String name, String runId, Object input, String mapRunArn, Execution parent,
                       Cancellation run) {
        String label = childMachine.name().substring(childMachine.name().indexOf('/') + 1);
        String arn = "STANDARD".equals(childMachine.description().type())
                ? arns.standardChildExecution(parent.stateMachine().name(), label, name)
                : arns.childExecution(parent.stateMachine().name(), label, runId, name);
        Execution child = new Execution(arn, name, childMachine, Json.write(input), input, mapRunArn, run, time, quotas);
        return store.putExecutionIfAbsent(child);
    }

    /**
     * Runs a Distributed Map child on the calling worker thread. Returns its output; throws its
     * error as a {@link StatesError}, or {@link Cancellation.Cancelled} when the parent was stopped.
     */
    Object runChild(Execution child, Workflow workflow) {
        ScheduledFuture<?> expressLimit = armExpressLimit(child);
        try {
            runToEnd(child, workflow);
        } finally {
            if (expressLimit != null) {
                expressLimit.cancel(false);
            }
        }
        ExecutionDescription result = child.describe();
        switch (result.status()) {
            case SUCCEEDED:
                return Json.parse(result.output(), "child output");
            case FAILED:
            case TIMED_OUT:
                throw new StatesError(result.error(), result.cause());
            default:
                throw new Cancellation.Cancelled();
        }
    }

    private void runToEnd(Execution execution, Workflow workflow) {
        HistoryCursor cursor = new HistoryCursor(execution.history(), 0);
        cursor.record("ExecutionStarted", "executionStartedEventDetails", "input", execution.inputText(),
                "inputDetails", Map.of("truncated", false), "roleArn", execution.stateMachine().description().roleArn());
        Branch branch = new Branch(execution, VariableScope.root(), cursor, execution.cancellation());
        try {
            Object output = runner.run(workflow, execution.input(), branch);
            String text = Json.write(output);
            execution.finish(ExecutionStatus.SUCCEEDED, text, null, null, cursor.last(), "ExecutionSucceeded",
                    "executionSucceededEventDetails", "output", text, "outputDetails", Map.of("truncated", false));
        } catch (StatesError e) {
            execution.finish(ExecutionStatus.FAILED, null, e.error(), e.cause(), cursor.last(), "ExecutionFailed",
                    "executionFailedEventDetails", "error", e.error(), "cause", e.cause());
        } catch (Cancellation.Cancelled e) {
            // stopped, timed out, or its Distributed Map parent ended: whoever cancelled records the end
            execution.finish(ExecutionStatus.ABORTED, null, null, null, cursor.last(), "ExecutionAborted",
                    "executionAbortedEventDetails");
        } catch (RuntimeException e) {
            execution.finish(ExecutionStatus.FAILED, null, StatesError.RUNTIME, "internal error of the local runtime: " + e,
                    cursor.last(), "ExecutionFailed", "executionFailedEventDetails", "error", StatesError.RUNTIME, "cause", e.toString());
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        pool.shutdownNow();
    }
}
