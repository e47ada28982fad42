package dev.wsfanout.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.dynamo.BroadcastRecordWriter;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.lambda.LocalFunctionException;
import dev.wsfanout.local.sqs.LocalSqsClients;
import dev.wsfanout.model.BatchInput;
import dev.wsfanout.model.BroadcastRequest;
import dev.wsfanout.model.BroadcastTally;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.model.PartitionBatch;
import dev.wsfanout.model.QueryResult;

import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the fan-out of one broadcast on a {@link LocalDeployment} without the state machine: the query
 * function over every ten-partition batch, exactly as the Distributed Map hands them out, then a
 * wait until postMessage has settled every queued connection. For tests and the fan-out benchmark,
 * which measure the fan-out alone.
 */
public final class FanoutRunner {

    private final LocalDeployment stack;

    public FanoutRunner(LocalDeployment stack) {
        this.stack = stack;
    }

    /** The Map's batches: partitions 1..n in groups of ten, each with the broadcast's BatchInput. */
    public List<PartitionBatch> batches(String broadcastId) {
        int partitions = stack.config().partitionCount();
        List<PartitionBatch> batches = new ArrayList<>();
        for (int first = 1; first <= partitions; first += 10) {
            List<Integer> items = new ArrayList<>();
            for (int p = first; p < first + 10 && p <= partitions; p++) {
                items.add(p);
            }
            batches.add(new PartitionBatch(items, new BatchInput(broadcastId, 0)));
        }
        return batches;
    }

    /** Creates the broadcast record, runs the query step over every batch and records what was queued. */
    public QueryResult start(String broadcastId, JsonNode message, int parallelQueries) {
        BroadcastRecordWriter records = new BroadcastRecordWriter(stack.dynamo(), stack.config());
        records.create(broadcastId, JsonCodec.write(new BroadcastRequest(message).message()));
        QueryResult total = runQueries(batches(broadcastId), parallelQueries);
        records.setQueued(broadcastId, total.connections(), total.partitions(), total.chunks());
        return total;
    }

    /** Invokes the query function on each batch (through its JSON contract), {@code parallelQueries} at a time. */
    public QueryResult runQueries(List<PartitionBatch> batches, int parallelQueries) {
        LocalFunction query = stack.function(LocalDeployment.QUERY);
        ExecutorService pool = Executors.newFixedThreadPool(parallelQueries);
        try {
            List<CompletableFuture<QueryResult>> results = new ArrayList<>();
            for (PartitionBatch batch : batches) {
                results.add(CompletableFuture.supplyAsync(() -> invoke(query, batch), pool));
            }
            int partitions = 0;
            long connections = 0;
            int chunks = 0;
            for (CompletableFuture<QueryResult> r : results) {
                QueryResult q = r.join();
                partitions += q.partitions();
                connections += q.connections();
                chunks += q.chunks();
            }
            return new QueryResult(partitions, connections, chunks);
        } finally {
            pool.shutdown();
        }
    }

    /** Waits until the broadcast's delivered + gone + failed reach its queued count. */
    public BroadcastTally awaitSettled(String broadcastId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        BroadcastTally tally = BroadcastTally.ZERO;
        while (System.nanoTime() < deadline) {
            tally = stack.tallies().read(broadcastId).orElseThrow(
                    () -> new IllegalStateException("broadcast " + broadcastId + " has no record")).tally();
            if (tally.complete()) {
                return tally;
            }
            sleep(50);
        }
        throw new IllegalStateException("broadcast " + broadcastId + " did not settle within " + timeout + ": " + tally);
    }

    /**
     * Waits until every shard queue is empty (nothing visible, in flight or delayed) after the
     * postMessage mappings handled at least one record: every redelivery has run its course.
     */
    public void awaitQueuesDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SqsClient sqs = LocalSqsClients.sync(stack.sqsEndpoint())) {
            while (System.nanoTime() < deadline) {
                if (stack.postMessageMappings().counters().records() > 0 && drained(sqs)) {
                    return;
                }
                sleep(200);
            }
        }
        throw new IllegalStateException("shard queues did not drain within " + timeout);
    }

    private boolean drained(SqsClient sqs) {
        for (String url : stack.queues().queues()) {
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"))
                    .attributesAsStrings();
            if (attributes.values().stream().anyMatch(v -> !"0".equals(v))) {
                return false;
            }
        }
        return true;
    }

    private static QueryResult invoke(LocalFunction query, PartitionBatch batch) {
        try {
            byte[] out = query.invoke(JsonCodec.write(batch).getBytes(StandardCharsets.UTF_8));
            return JsonCodec.read(new String(out, StandardCharsets.UTF_8), QueryResult.class);
        } catch (LocalFunctionException e) {
            throw new IllegalStateException("query failed for partitions " + batch.items() + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
