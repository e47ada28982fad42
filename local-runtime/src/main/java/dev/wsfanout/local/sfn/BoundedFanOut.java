package dev.wsfanout.local.sfn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs {@code count} tasks with at most {@code workers} at a time — one thread per worker, never
 * one per task, so a Map over thousands of items with MaxConcurrency 1000 needs only as many
 * threads as the worker limit allows. The first task that throws cancels the rest; its
 * exception is rethrown once every worker has stopped.
 */
final class BoundedFanOut {

    private BoundedFanOut() {
    }

    static List<Object> run(ExecutorService pool, int count, int workers, Cancellation cancellation, IntFunction<Object> task) {
        Object[] results = new Object[count];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Future<?>> running = new ArrayList<>();
        int threads = Math.max(1, Math.min(workers, count));
        for (int w = 0; w < threads; w++) {
            running.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    if (cancellation.isCancelled()) {
                        return;
                    }
                    try {
                        results[i] = task.apply(i);
                    } catch (Cancellation.Cancelled e) {
                        return;
                    } catch (RuntimeException e) {
                        if (failure.compareAndSet(null, e)) {
                            cancellation.cancel();
                        }
                        return;
                    }
                }
            }));
        }
        for (Future<?> worker : running) {
            try {
                worker.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancellation.cancel();
                throw new Cancellation.Cancelled();
            } catch (ExecutionException e) {
                failure.compareAndSet(null, new IllegalStateException("worker crashed", e.getCause()));
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        cancellation.check();
        return new ArrayList<>(Arrays.asList(results));
    }
}
