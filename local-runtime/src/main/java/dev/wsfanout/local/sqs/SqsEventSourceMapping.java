package dev.wsfanout.local.sqs;

import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.lambda.LocalFunctionException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lambda's SQS event-source mapping for one queue and one {@link LocalFunction}: pollers long-poll
 * the queue, hand up to {@code batchSize} messages to the function as an SQS event, and delete what
 * succeeded. A failed invocation deletes nothing, so its messages come back after the visibility
 * timeout and the queue's redrive policy moves them to the DLQ after maxReceiveCount receives. At
 * most {@code maxConcurrency} batches are in flight: a poller takes a slot before it receives, so
 * messages are never received without an invocation ready to take them. The function's
 * {@link dev.wsfanout.local.lambda.LambdaAccount account} concurrency counts too: when it is
 * exhausted, pollers wait before receiving and invocations wait for a free slot, so the mapping
 * stops scaling instead of being throttled.
 */
public final class SqsEventSourceMapping implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SqsEventSourceMapping.class.getName());

    /** Lambda starts every SQS mapping with five pollers. */
    private static final int MAX_POLLERS = 5;
    private static final Duration POLL_ERROR_BACKOFF = Duration.ofSeconds(1);
    /** Pause after an empty short poll (WaitTimeSeconds 0), so that an idle poller does not spin. */
    private static final Duration SHORT_POLL_PAUSE = Duration.ofMillis(50);
    private static final Duration POLLER_STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Time beyond the function timeout that close() grants an in-flight batch to finish its deletes. */
    private static final Duration DELETE_GRACE = Duration.ofSeconds(10);

    private enum State { NEW, RUNNING, CLOSED }

    private final SqsAsyncClient sqs;
    private final String queueUrl;
    private final LocalFunction function;
    private final SqsEventSourceMappingSettings settings;
    private final Semaphore slots;
    private final ExecutorService pollers;
    private final ExecutorService invocations;

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong invocationErrors = new AtomicLong();
    private final AtomicLong recordsDeleted = new AtomicLong();
    private final AtomicLong recordsReportedFailed = new AtomicLong();

    /*
     * Completed by close(). Pollers watch it rather than only their interrupt flag, which code inside
     * the SDK call may clear; a poller that missed the interrupt would otherwise sit out a 20 s poll.
     */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private State state = State.NEW;
    private volatile SqsEventJson eventJson;

    public SqsEventSourceMapping(SqsAsyncClient sqs, String queueUrl, LocalFunction function,
                                 SqsEventSourceMappingSettings settings) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.function = Objects.requireNonNull(function, "function");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.slots = new Semaphore(settings.maxConcurrency());
        String queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        this.pollers = Executors.newFixedThreadPool(pollerCount(), daemonThreads("sqs-poll-" + queueName));
        this.invocations = Executors.newCachedThreadPool(daemonThreads("sqs-invoke-" + queueName));
    }

    /**
     * Looks the queue up and starts polling.
     *
     * @throws IllegalArgumentException when the queue does not exist, or its visibility timeout is
     *                                  shorter than the function's timeout (Lambda refuses that mapping too)
     * @throws IllegalStateException    when already started or closed
     */
    public synchronized SqsEventSourceMapping start() {
        if (state != State.NEW) {
            throw new IllegalStateException("SQS event-source mapping for " + queueUrl + " is already " + state);
        }
        eventJson = new SqsEventJson(queueArn());
        state = State.RUNNING;
        for (int i = 0; i < pollerCount(); i++) {
            pollers.execute(this::poll);
        }
        return this;
    }

    public String queueUrl() {
        return queueUrl;
    }

    public SqsEventSourceMappingSettings settings() {
        return settings;
    }

    public SqsEventSourceMappingCounters counters() {
        return new SqsEventSourceMappingCounters(batches.get(), records.get(), invocationErrors.get(),
                recordsDeleted.get(), recordsReportedFailed.get());
    }

    /**
     * Stops polling at once and waits for in-flight invocations. An open long poll is not waited
     * for: it finishes in the background and the messages it brings, if any, are made visible again.
     */
    @Override
    public void close() {
        stopPolling();
        awaitInFlight();
    }

    /** First half of {@link #close()}, so that many mappings can stop polling before any of them waits. */
    synchronized void stopPolling() {
        state = State.CLOSED;
        stopped.complete(null);
        pollers.shutdownNow();
    }

    void awaitInFlight() {
        try {
            if (!pollers.awaitTermination(POLLER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "pollers of {0} did not stop within {1}", queueUrl, POLLER_STOP_TIMEOUT);
            }
            invocations.shutdown();
            Duration limit = function.timeout().plus(DELETE_GRACE);
            if (!invocations.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "invocations from {0} still running after {1}", queueUrl, limit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int pollerCount() {
        return Math.min(settings.maxConcurrency(), MAX_POLLERS);
    }

    /** The queue's ARN, after checking the queue exists and hides a message for as long as the function may run. */
    private String queueArn() {
        Map<QueueAttributeName, String> attributes;
        try {
            attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN, QueueAttributeName.VISIBILITY_TIMEOUT)).get().attributes();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QueueDoesNotExistException) {
                throw new IllegalArgumentException("SQS event-source mapping: queue " + queueUrl + " does not exist", e.getCause());
            }
            throw new IllegalStateException("SQS event-source mapping: cannot read the attributes of " + queueUrl
                    + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up " + queueUrl, e);
        }
        // CreateEventSourceMapping refuses this pairing with the same message (InvalidParameterValueException).
        long visibilitySeconds = Long.parseLong(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        if (visibilitySeconds * 1000 < function.timeout().toMillis()) {
            throw new IllegalArgumentException("SQS event-source mapping for " + queueUrl + ": Queue visibility timeout: "
                    + visibilitySeconds + " seconds is less than Function timeout: "
                    + BigDecimal.valueOf(function.timeout().toMillis(), 3).stripTrailingZeros().toPlainString() + " seconds");
        }
        return attributes.get(QueueAttributeName.QUEUE_ARN);
    }

    private void poll() {
        while (!stopped.isDone()) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                // At the account's concurrency limit the mapping does not scale further: no batch
                // is received (its visibility timeout started) that no execution could take.
                function.account().awaitHeadroom();
            } catch (InterruptedException e) {
                slots.release();
                return;
            }
            List<Message> batch;
            try {
                batch = receiveBatch();
            } catch (ExecutionException | RuntimeException e) {
                slots.release();
                LOG.log(System.Logger.Level.WARNING, "receiving from {0} failed, retrying in {1}: {2}",
                        queueUrl, POLL_ERROR_BACKOFF, e instanceof ExecutionException ? e.getCause() : e);
                if (!pause(POLL_ERROR_BACKOFF)) {
                    return;
                }
                continue;
            }
            if (batch.isEmpty()) {
                slots.release();
                if (settings.waitTimeSeconds() == 0 && !pause(SHORT_POLL_PAUSE)) {
                    return;
                }
                continue;
            }
            // Handed over even when close() cut the batching window short: these messages were
            // received and close() waits for their invocation.
            invocations.execute(() -> {
                try {
                    invoke(batch);
                } finally {
                    slots.release();
                }
            });
        }
    }

    /**
     * One long poll; with a batching window, further polls until the batch is full or the window,
     * counted from the first message, has passed (or close() was called).
     */
    private List<Message> receiveBatch() throws ExecutionException {
        List<Message> batch = new ArrayList<>(receive(settings.batchSize(), settings.waitTimeSeconds()));
        long windowEnd = System.nanoTime() + settings.maximumBatchingWindow().toNanos();
        while (!batch.isEmpty() && batch.size() < settings.batchSize() && !stopped.isDone()) {
            long remainingNanos = windowEnd - System.nanoTime();
            if (remainingNanos <= 0) {
                break;
            }
            int waitSeconds = (int) Math.min(settings.waitTimeSeconds(), TimeUnit.NANOSECONDS.toSeconds(remainingNanos));
            List<Message> more = receive(settings.batchSize() - batch.size(), waitSeconds);
            batch.addAll(more);
            Duration pauseBeforeShortPoll = Duration.ofNanos(Math.min(SHORT_POLL_PAUSE.toNanos(), remainingNanos));
            if (more.isEmpty() && waitSeconds == 0 && !pause(pauseBeforeShortPoll)) {
                break;
            }
        }
        return batch;
    }

    /**
     * One ReceiveMessage. When close() comes during the wait, the request is left to finish instead
     * of being cancelled: ElasticMQ still hands messages to a poll whose connection was dropped, and
     * they would stay hidden for a whole visibility timeout. What it brings is made visible again.
     */
    private List<Message> receive(int maxMessages, int waitSeconds) throws ExecutionException {
        CompletableFuture<List<Message>> received = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                        .maxNumberOfMessages(maxMessages)
                        .waitTimeSeconds(waitSeconds)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All"))
                .thenApply(response -> response.messages());
        try {
            CompletableFuture.anyOf(received, stopped).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException failed) {
            // reported by join() below
        }
        if (!received.isDone()) {
            received.thenAccept(this::release);
            return List.of();
        }
        try {
            return received.join();
        } catch (CompletionException e) {
            throw new ExecutionException(e.getCause());
        }
    }

    private void release(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (Message message : messages) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id(String.valueOf(entries.size()))
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0)
                    .build());
        }
        sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries)).whenComplete((response, error) -> {
            if (error != null || !response.failed().isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "{0} messages received from {1} while closing stay hidden"
                        + " until their visibility timeout: {2}", messages.size(), queueUrl,
                        error != null ? error : response.failed());
            }
        });
    }

    private void invoke(List<Message> batch) {
        batches.incrementAndGet();
        records.addAndGet(batch.size());
        byte[] response;
        try {
            response = function.invokeFromEventSource(eventJson.toJson(batch));
        } catch (LocalFunctionException e) {
            invocationErrors.incrementAndGet();
            return;
        } catch (RuntimeException e) {
            // The function itself is broken (for instance closed before this mapping): its batch stays queued.
            invocationErrors.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "invoking {0} for {1} failed: {2}", function.name(), queueUrl, e);
            return;
        }
        Set<String> failed = Set.of();
        if (settings.reportBatchItemFailures()) {
            Set<String> ids = new LinkedHashSet<>();
            batch.forEach(message -> ids.add(message.messageId()));
            failed = SqsBatchResponseReader.failedMessageIds(response, ids);
            recordsReportedFailed.addAndGet(failed.size());
        }
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (Message message : batch) {
            if (!failed.contains(message.messageId())) {
                deletes.add(DeleteMessageBatchRequestEntry.builder()
                        .id(String.valueOf(deletes.size()))
                        .receiptHandle(message.receiptHandle())
                        .build());
            }
        }
        if (!deletes.isEmpty()) {
            delete(deletes);
        }
    }

    private void delete(List<DeleteMessageBatchRequestEntry> entries) {
        try {
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).join();
            recordsDeleted.addAndGet(response.successful().size());
            response.failed().forEach(failure -> LOG.log(System.Logger.Level.WARNING,
                    "deleting a message from {0} failed: {1} {2}", queueUrl, failure.code(), failure.message()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "deleting {0} messages from {1} failed: {2}", entries.size(), queueUrl, e);
        }
    }

    private static boolean pause(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
