package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The Region's Lambda concurrency shared by all functions of the account. An invocation that finds
 * the account full, or its function unable to add an environment, is throttled and retried after
 * {@code throttleRetryMs}: one simple stand-in for the SQS poller's and the Map's Retry backoff.
 */
final class LambdaAccount {

    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final SimulationParameters parameters;
    private final List<LambdaFunction> functions = new ArrayList<>();
    private int inUse;
    private int peakInUse;
    private long throttles;
    private boolean throttledThisTick;

    LambdaAccount(EventScheduler scheduler, LatencySampler latency, SimulationParameters parameters) {
        this.scheduler = scheduler;
        this.latency = latency;
        this.parameters = parameters;
    }

    LambdaFunction function(String name) {
        LambdaFunction function = new LambdaFunction(name, parameters.lambdaScalePer10s());
        functions.add(function);
        return function;
    }

    /**
     * Invokes {@code function} as soon as the account allows; {@code body} then runs once the
     * environment is ready, and must call {@link #finish} when the invocation ends.
     */
    void invoke(LambdaFunction function, Runnable body) {
        LambdaFunction.Environment environment = inUse < parameters.lambdaConcurrency()
                ? function.claimEnvironment(scheduler.now())
                : LambdaFunction.Environment.NONE;
        if (environment == LambdaFunction.Environment.NONE) {
            throttles++;
            throttledThisTick = true;
            scheduler.after(latency.micros(parameters.throttleRetryMs()), () -> invoke(function, body));
            return;
        }
        inUse++;
        peakInUse = Math.max(peakInUse, inUse);
        long ready = environment == LambdaFunction.Environment.COLD ? latency.micros(parameters.effectiveColdStartMs()) : 0;
        scheduler.after(ready, body);
    }

    void finish(LambdaFunction function) {
        inUse--;
        function.releaseEnvironment();
    }

    /** True when the account was full or throttled since the last call: Lambda concurrency is binding. */
    boolean saturatedSinceLastTick() {
        boolean saturated = throttledThisTick || inUse >= parameters.lambdaConcurrency();
        throttledThisTick = false;
        return saturated;
    }

    int peakConcurrency() {
        return peakInUse;
    }

    long throttles() {
        return throttles;
    }

    List<LambdaFunction> functions() {
        return List.copyOf(functions);
    }
}
