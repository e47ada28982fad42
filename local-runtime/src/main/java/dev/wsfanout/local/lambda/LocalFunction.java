package dev.wsfanout.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Deque;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One Lambda function of the local runtime: real handler instances behind the same contract the
 * Lambda service gives them. Events arrive as JSON bytes and are turned into the handler's input
 * type with the Lambda runtime's own serializers, so a handler that works here sees what it would
 * see on AWS. Concurrency is bounded like reserved concurrency (callers beyond it wait), and an
 * invocation that runs past the timeout fails as Lambda's "Sandbox.Timedout" would.
 *
 * <p>As on Lambda, each concurrent invocation runs in an execution environment of its own: a
 * handler instance made by the function's factory the first time it is needed (a cold start),
 * reused by later invocations, and thrown away after a timeout. State a handler keeps per
 * instance — postMessage's rate governor — is therefore per environment here as it is on AWS.
 */
public final class LocalFunction implements AutoCloseable {

    /** How one invocation runs once the JSON bytes are known. */
    @FunctionalInterface
    public interface Invoker {
        byte[] invoke(byte[] event, LocalContext context) throws Exception;
    }

    private final String name;
    private final Supplier<Invoker> environments;
    private final Deque<Invoker> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong coldStarts = new AtomicLong();
    private final Semaphore concurrency;
    private final int maxConcurrency;
    private final Duration timeout;
    private final ExecutorService threads;

    private LocalFunction(String name, Supplier<Invoker> environments, int maxConcurrency, Duration timeout) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("function " + name + ": concurrency must be >= 1, was " + maxConcurrency);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.environments = Objects.requireNonNull(environments, "environments");
        this.maxConcurrency = maxConcurrency;
        this.concurrency = new Semaphore(maxConcurrency, true);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lambda-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** A stream handler shared by every environment (for handlers that keep no per-instance state). */
    public static LocalFunction ofStream(String name, RequestStreamHandler handler, int maxConcurrency, Duration timeout) {
        return ofStream(name, () -> handler, maxConcurrency, timeout);
    }

    /** A stream handler, one instance per execution environment: bytes in, bytes out, as the Lambda runtime hands them over. */
    public static LocalFunction ofStream(String name, Supplier<? extends RequestStreamHandler> handlers,
                                         int maxConcurrency, Duration timeout) {
        return new LocalFunction(name, () -> {
            RequestStreamHandler handler = handlers.get();
            return (event, context) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                handler.handleRequest(new ByteArrayInputStream(event), out, context);
                return out.toByteArray();
            };
        }, maxConcurrency, timeout);
    }

    /** A typed handler shared by every environment (for handlers that keep no per-instance state). */
    public static <I, O> LocalFunction of(String name, RequestHandler<I, O> handler, Class<I> inputType,
                                          int maxConcurrency, Duration timeout) {
        return of(name, () -> handler, inputType, maxConcurrency, timeout);
    }

    /**
     * A typed handler, one instance per execution environment. {@code inputType} is deserialized
     * with the Lambda event serializers when it is one of the aws-lambda-java-events classes, and
     * with the runtime's Jackson factory otherwise.
     */
    public static <I, O> LocalFunction of(String name, Supplier<? extends RequestHandler<I, O>> handlers, Class<I> inputType,
                                          int maxConcurrency, Duration timeout) {
        PojoSerializer<I> input = serializerFor(inputType);
        return new LocalFunction(name, () -> {
            RequestHandler<I, O> handler = handlers.get();
            return (event, context) -> toJson(handler.handleRequest(input.fromJson(new ByteArrayInputStream(event)), context));
        }, maxConcurrency, timeout);
    }

    public String name() {
        return name;
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Execution environments created so far: Lambda's cold starts. */
    public long coldStarts() {
        return coldStarts.get();
    }

    /**
     * Runs one invocation synchronously (RequestResponse). Blocks while the function is at its
     * concurrency limit.
     *
     * @throws LocalFunctionException with Lambda's errorType/errorMessage when the handler throws or times out
     */
    public byte[] invoke(byte[] event) throws LocalFunctionException {
        try {
            concurrency.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalFunctionException(name, "Interrupted", "interrupted while waiting for a free instance");
        }
        Invoker environment = idle.poll();
        if (environment == null) {
            coldStarts.incrementAndGet();
            try {
                environment = environments.get();
            } catch (RuntimeException e) {
                concurrency.release();
                throw new LocalFunctionException(name, "Runtime.InitError", String.valueOf(e.getMessage()), e);
            }
        }
        Invoker invoker = environment;
        LocalContext context = new LocalContext(name, UUID.randomUUID().toString(), timeout);
        Future<byte[]> run = threads.submit(() -> invoker.invoke(event, context));
        boolean reusable = true;
        try {
            return run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Lambda discards a sandbox that timed out; its thread may still be running here.
            reusable = false;
            run.cancel(true);
            throw new LocalFunctionException(name, "Sandbox.Timedout",
                    "Task timed out after " + timeout.toMillis() / 1000.0 + " seconds");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new LocalFunctionException(name, cause.getClass().getName(), String.valueOf(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            reusable = false;
            run.cancel(true);
            Thread.currentThread().interrupt();
            throw new LocalFunctionException(name, "Interrupted", "interrupted while the function ran");
        } finally {
            if (reusable) {
                idle.push(invoker);
            }
            concurrency.release();
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    private static <T> PojoSerializer<T> serializerFor(Class<T> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, LocalFunction.class.getClassLoader());
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    @SuppressWarnings("unchecked")
    private static <O> byte[] toJson(O result) {
        if (result == null) {
            return "null".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        PojoSerializer<O> out = serializerFor((Class<O>) result.getClass());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.toJson(result, bytes);
        try {
            bytes.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
