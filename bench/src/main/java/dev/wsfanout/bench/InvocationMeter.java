package dev.wsfanout.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a stream handler (the stack's query handler, through LocalDeploymentOptions.queryHandlerDecorator)
 * and records each invocation's wall time and the heap its invoking thread allocated
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}). Work the handler hands
 * to the SDK's Netty threads is not in that figure.
 */
public final class InvocationMeter {

    /** One invocation: wall time in ms and bytes allocated by the handler's thread. */
    public record Invocation(double millis, long allocatedBytes) {
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final List<Invocation> invocations = new ArrayList<>();

    public RequestStreamHandler wrap(RequestStreamHandler handler) {
        return (in, out, context) -> {
            long bytes = THREADS.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            try {
                handler.handleRequest(in, out, context);
            } finally {
                record(new Invocation((System.nanoTime() - start) / 1e6, THREADS.getCurrentThreadAllocatedBytes() - bytes));
            }
        };
    }

    private synchronized void record(Invocation invocation) {
        invocations.add(invocation);
    }

    /** Everything recorded so far, and forgets it. */
    public synchronized List<Invocation> drain() {
        List<Invocation> all = new ArrayList<>(invocations);
        invocations.clear();
        return all;
    }
}
