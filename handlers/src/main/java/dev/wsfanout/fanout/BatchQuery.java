package dev.wsfanout.fanout;

import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.PartitionBatch;
import dev.wsfanout.model.QueryResult;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The query step of a broadcast: reads the connection ids of one Distributed Map batch (ten
 * partitions, read concurrently) and hands them to the shard queues in chunks. A partition that
 * fits one page is held back and packed with the batch's other small partitions into full chunks
 * (in partition order, so the packing is the same on a rerun): at 15,000 connections over 2,500
 * partitions a partition holds six ids, and one chunk per partition would cost postMessage a
 * claim, a finish and a tally write for every six posts. Larger partitions are chunked page by
 * page, so memory stays bounded by a page per partition whatever their size.
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

        List<Integer> items = batch.items();
        List<List<String>> small = new ArrayList<>(Collections.nCopies(items.size(), List.of()));
        List<CompletableFuture<Long>> partitions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            int partitionId = items.get(i);
            int position = i;
            AtomicInteger sequence = new AtomicInteger();
            partitions.add(reader.read(partitionId, page -> {
                if (page.whole()) {
                    small.set(position, page.ids());
                    return CompletableFuture.completedFuture(null);
                }
                List<DeliveryChunk> chunks = planner.plan(partitionId, sequence.getAndAdd(chunksFor(page.ids().size(), planner)), page.ids());
                return submitAll(publisher, chunks);
            }));
        }
        try {
            long connections = 0;
            for (CompletableFuture<Long> partition : partitions) {
                connections += partition.join();
            }
            List<String> packed = small.stream().flatMap(List::stream).toList();
            submitAll(publisher, planner.planPacked(items.get(0), packed)).join();
            int chunks = publisher.flush().join();
            return new QueryResult(batch.items().size(), connections, chunks);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private static CompletableFuture<Void> submitAll(ShardPublisher publisher, List<DeliveryChunk> chunks) {
        CompletableFuture<Void> admitted = CompletableFuture.completedFuture(null);
        for (DeliveryChunk chunk : chunks) {
            admitted = admitted.thenCompose(ok -> publisher.submit(chunk));
        }
        return admitted;
    }

    private static int chunksFor(int ids, ChunkPlanner planner) {
        return (ids + planner.idsPerChunk() - 1) / planner.idsPerChunk();
    }
}
