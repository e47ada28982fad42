package dev.wsfanout.local.sfn;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One execution: its identity and input, its status (changed exactly once, from RUNNING to a
 * final status), its history and the cancellation that stops all of its paths.
 */
final class Execution {

    private final String arn;
    private final String name;
    private final StateMachine stateMachine;
    private final String inputText;
    private final Object input;
    private final Instant startDate;
    private final String mapRunArn;
    private final ExecutionHistory history;
    private final Cancellation cancellation;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final TimeSource time;
    private final Quotas quotas;

    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private String output;
    private String error;
    private String cause;
    private Instant stopDate;

    /**
     * @param parentCancellation what else stops this execution (a Distributed Map child's run), or null
     * @param quotas             the limits it runs under; a STANDARD execution's history holds at most 25,000 events
     */
    Execution(String arn, String name, StateMachine stateMachine, String inputText, Object input, String mapRunArn,
              Cancellation parentCancellation, TimeSource time, Quotas quotas) {
        this.cancellation = parentCancellation == null ? Cancellation.root() : parentCancellation.child();
        this.arn = arn;
        this.name = name;
        this.stateMachine = stateMachine;
        this.inputText = inputText;
        this.input = input;
        this.mapRunArn = mapRunArn;
        this.time = time;
        this.quotas = quotas;
        boolean limited = quotas.enforces(Quotas.Quota.HISTORY_EVENTS) && !isExpress();
        this.history = new ExecutionHistory(time, this, limited ? Quotas.MAX_HISTORY_EVENTS : 0, this::historyLimitReached);
        this.startDate = time.now();
    }

    /** Distributed Map children and executions of EXPRESS machines: 5 minutes at most, no history limit. */
    boolean isExpress() {
        return "EXPRESS".equals(stateMachine.description().type());
    }

    Quotas quotas() {
        return quotas;
    }

    /** The history closed itself with ExecutionFailed at its limit (called holding this execution's lock). */
    private void historyLimitReached() {
        if (status != ExecutionStatus.RUNNING) {
            return;
        }
        status = ExecutionStatus.FAILED;
        error = StatesError.RUNTIME;
        cause = ExecutionHistory.limitCause(Quotas.MAX_HISTORY_EVENTS);
        stopDate = time.now();
        cancellation.cancel();
        finished.countDown();
    }

    String arn() {
        return arn;
    }

    String name() {
        return name;
    }

    StateMachine stateMachine() {
        return stateMachine;
    }

    String inputText() {
        return inputText;
    }

    Object input() {
        return input;
    }

    Instant startDate() {
        return startDate;
    }

    String mapRunArn() {
        return mapRunArn;
    }

    ExecutionHistory history() {
        return history;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    TimeSource time() {
        return time;
    }

    synchronized ExecutionStatus status() {
        return status;
    }

    /**
     * Moves a running execution to its final status and records the closing event. Returns false
     * (and changes nothing) when it had already finished, e.g. a stopped execution whose last
     * task returns later.
     */
    boolean finish(ExecutionStatus finalStatus, String outputText, String errorName, String errorCause,
                   long previousEventId, String eventType, String detailsName, Object... details) {
        synchronized (this) {
            if (status != ExecutionStatus.RUNNING) {
                return false;
            }
            status = finalStatus;
            output = outputText;
            error = errorName;
            cause = errorCause;
            stopDate = time.now();
            history.close(previousEventId, eventType, detailsName, details);
        }
        cancellation.cancel();
        finished.countDown();
        return true;
    }

    boolean awaitFinish(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    synchronized ExecutionDescription describe() {
        return new ExecutionDescription(arn, stateMachine.arn(), name, status, inputText, output, error, cause,
                startDate, stopDate, mapRunArn);
    }

    /** The "Execution" member of the context object. */
    Map<String, Object> contextExecution() {
        Map<String, Object> execution = new LinkedHashMap<>();
        execution.put("Id", arn);
        execution.put("Input", input);
        execution.put("Name", name);
        execution.put("RoleArn", stateMachine.description().roleArn());
        execution.put("StartTime", ContextTimestamps.format(startDate));
        execution.put("RedriveCount", 0L);
        return execution;
    }
}
