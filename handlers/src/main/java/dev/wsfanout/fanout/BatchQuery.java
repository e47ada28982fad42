package dev.wsfanout.fanout;

import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.PartitionBatch;
import dev.wsfanout.model.QueryResult;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The query step of a broadcast: reads the connection ids of one Distributed Map batch (ten
 * partitions, read concurrently) and hands them to the shard queues in chunks.
 */
public final class BatchQuery {

    /** Batches in flight per invocation before reading waits for SQS. */
    private static final int MAX_BATCHES_IN_FLIGHT = 20;

    private final DynamoDbAsyncClient dynamo;
    private final SqsAsyncClient sqs;
    private final FanoutConfig config;

    public BatchQuery(DynamoDbAsyncClient dynamo, SqsAsyncClient sqs, FanoutConfig config) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.config = config;
        config.requireShardQueueUrls();
    }

    public QueryResult run(PartitionBatch batch) {
        ChunkPlanner planner = new ChunkPlanner(batch.batchInput().broadcastId(), batch.batchInput().message(),
                config.chunkSize(), config.sqsMaxMessageBytes());
        // Pages are a whole number of chunks, so chunk boundaries (and ids) depend only on the
        // position in the partition, not on where a page happened to end.
        PartitionReader reader = new PartitionReader(dynamo, config.connectionsTable(), config.partitionIndex(),
                planner.idsPerChunk() * ShardPublisher.MAX_ENTRIES);
        ShardPublisher publisher = new ShardPublisher(sqs, config.requireShardQueueUrls(),
                config.sqsMaxMessageBytes(), MAX_BATCHES_IN_FLIGHT);

        List<CompletableFuture<Long>> partitions = new ArrayList<>();
        for (int partitionId : batch.items()) {
            AtomicInteger sequence = new AtomicInteger();
            partitions.add(reader.read(partitionId, ids -> {
                List<DeliveryChunk> chunks = planner.plan(partitionId, sequence.getAndAdd(chunksFor(ids.size(), planner)), ids);
                CompletableFuture<Void> admitted = CompletableFuture.completedFuture(null);
                for (DeliveryChunk chunk : chunks) {
                    admitted = admitted.thenCompose(ok -> publisher.submit(chunk));
                }
                return admitted;
            }));
        }
        try {
            long connections = 0;
            for (CompletableFuture<Long> partition : partitions) {
                connections += partition.join();
            }
            int chunks = publisher.flush().join();
            return new QueryResult(batch.items().size(), connections, chunks);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private static int chunksFor(int ids, ChunkPlanner planner) {
        return (ids + planner.idsPerChunk() - 1) / planner.idsPerChunk();
    }
}
