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
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Lambda function of the local runtime: a real handler instance behind the same contract the
 * Lambda service gives it. Events arrive as JSON bytes and are turned into the handler's input
 * type with the Lambda runtime's own serializers, so a handler that works here sees what it would
 * see on AWS. Concurrency is bounded like reserved concurrency (callers beyond it wait), and an
 * invocation that runs past the timeout fails as Lambda's "Sandbox.Timedout" would.
 */
public final class LocalFunction implements AutoCloseable {

    /** How one invocation runs once the JSON bytes are known. */
    @FunctionalInterface
    public interface Invoker {
        byte[] invoke(byte[] event, LocalContext context) throws Exception;
    }

    private final String name;
    private final Invoker invoker;
    private final Semaphore concurrency;
    private final int maxConcurrency;
    private final Duration timeout;
    private final ExecutorService threads;
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private LocalFunction(String name, Invoker invoker, int maxConcurrency, Duration timeout) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("function " + name + ": concurrency must be >= 1, was " + maxConcurrency);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.invoker = Objects.requireNonNull(invoker, "invoker");
        this.maxConcurrency = maxConcurrency;
        this.concurrency = new Semaphore(maxConcurrency, true);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lambda-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** A stream handler: bytes in, bytes out, exactly as the Lambda runtime hands them over. */
    public static LocalFunction ofStream(String name, RequestStreamHandler handler, int maxConcurrency, Duration timeout) {
        return new LocalFunction(name, (event, context) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
            return out.toByteArray();
        }, maxConcurrency, timeout);
    }

    /**
     * A typed handler. {@code inputType} is deserialized with the Lambda event serializers when it
     * is one of the aws-lambda-java-events classes, and with the runtime's Jackson factory otherwise.
     */
    public static <I, O> LocalFunction of(String name, RequestHandler<I, O> handler, Class<I> inputType,
                                          int maxConcurrency, Duration timeout) {
        PojoSerializer<I> input = serializerFor(inputType);
        return new LocalFunction(name, (event, context) -> {
            O result = handler.handleRequest(input.fromJson(new ByteArrayInputStream(event)), context);
            return toJson(result);
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

    public long invocations() {
        return invocations.get();
    }

    public long errors() {
        return errors.get();
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
        invocations.incrementAndGet();
        LocalContext context = new LocalContext(name, UUID.randomUUID().toString(), timeout);
        Future<byte[]> run = threads.submit(() -> invoker.invoke(event, context));
        try {
            return run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            errors.incrementAndGet();
            throw new LocalFunctionException(name, "Sandbox.Timedout",
                    "Task timed out after " + timeout.toMillis() / 1000.0 + " seconds");
        } catch (ExecutionException e) {
            errors.incrementAndGet();
            Throwable cause = e.getCause();
            throw new LocalFunctionException(name, cause.getClass().getName(), String.valueOf(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            run.cancel(true);
            Thread.currentThread().interrupt();
            throw new LocalFunctionException(name, "Interrupted", "interrupted while the function ran");
        } finally {
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
