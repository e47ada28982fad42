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
 * <p>Functions of one stack share a {@link LambdaAccount} ({@link #inAccount}): beyond the
 * account's concurrency a synchronous {@link #invoke} is throttled ({@link LambdaThrottleException},
 * TooManyRequestsException) as on AWS, while {@link #invokeFromEventSource} (the SQS mappings)
 * waits for a free slot: an event-source mapping does not scale further. A function that joined
 * no account has no account limit.
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
    private volatile LambdaAccount account = LambdaAccount.unlimited();
    private boolean joinedAccount;

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
     * Makes this function draw on {@code account}'s concurrency, shared with every other function
     * in it. Call before the first invocation; a function belongs to one account.
     *
     * @throws IllegalStateException when it already joined another account
     */
    public synchronized LocalFunction inAccount(LambdaAccount account) {
        Objects.requireNonNull(account, "account");
        if (joinedAccount && this.account != account) {
            throw new IllegalStateException("function " + name + " is already in " + this.account);
        }
        this.account = account;
        joinedAccount = true;
        return this;
    }

    /** The account whose concurrency this function draws on (a private unlimited one unless it joined one). */
    public LambdaAccount account() {
        return account;
    }

    /**
     * Runs one invocation synchronously (RequestResponse). Blocks while the function is at its
     * own concurrency limit; is throttled when the account is at its limit.
     *
     * @throws LambdaThrottleException when the account's concurrency is exhausted (Lambda's 429
     *                                 TooManyRequestsException, ConcurrentInvocationLimitExceeded); the handler did not run
     * @throws LocalFunctionException  with Lambda's errorType/errorMessage when the handler throws or times out
     */
    public byte[] invoke(byte[] event) throws LocalFunctionException {
        return invoke(event, false);
    }

    /**
     * Runs one invocation as an event-source mapping does: like {@link #invoke}, but beyond the
     * account's concurrency it waits for a free slot instead of being throttled.
     */
    public byte[] invokeFromEventSource(byte[] event) throws LocalFunctionException {
        return invoke(event, true);
    }

    private byte[] invoke(byte[] event, boolean waitForAccount) throws LocalFunctionException {
        try {
            concurrency.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalFunctionException(name, "Interrupted", "interrupted while waiting for a free instance");
        }
        LambdaAccount account = this.account;
        if (waitForAccount) {
            try {
                account.acquire();
            } catch (InterruptedException e) {
                concurrency.release();
                Thread.currentThread().interrupt();
                throw new LocalFunctionException(name, "Interrupted", "interrupted while waiting for account concurrency");
            }
        } else if (!account.tryAcquire()) {
            concurrency.release();
            throw new LambdaThrottleException(name, LambdaThrottleException.ACCOUNT_LIMIT);
        }
        try {
            return run(event);
        } finally {
            account.release();
            concurrency.release();
        }
    }

    /** One invocation in an execution environment, once the function's and the account's slots are held. */
    private byte[] run(byte[] event) throws LocalFunctionException {
        Invoker environment = idle.poll();
        if (environment == null) {
            coldStarts.incrementAndGet();
            try {
                environment = environments.get();
            } catch (RuntimeException e) {
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
            throw new LocalFunctionException(name, "Sandbox.Timedout", timedOutMessage(context.getAwsRequestId(), timeout));
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
        }
    }

    /**
     * Lambda's errorMessage for a timed-out invocation, as Step Functions shows it in the cause of
     * a Sandbox.Timedout task failure: {@code RequestId: <id> Error: Task timed out after 3.00 seconds}.
     */
    static String timedOutMessage(String requestId, Duration timeout) {
        return String.format(java.util.Locale.ROOT, "RequestId: %s Error: Task timed out after %.2f seconds",
                requestId, timeout.toMillis() / 1000.0);
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
