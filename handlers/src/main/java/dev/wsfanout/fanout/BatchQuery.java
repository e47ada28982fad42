package dev.wsfanout.fanout;

import dev.wsfanout.model.DeliveryChunk;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.PartitionBatch;
import dev.wsfanout.model.QueryResult;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The query step of a broadcast: reads the connection ids of one Distributed Map batch (ten
 * partitions, read concurrently), persists the plan of what it will send, then sends it to the
 * shard queues in chunks.
 *
 * <p>The plan is what makes a rerun harmless. Each entry is stored first-writer-wins before its
 * chunks are sent (see {@link PlanStore}); a rerun reads the partitions again but sends the stored
 * entries, and resumes a partition after the last id the stored plan covers. So the chunks of a
 * batch are the same on every attempt whatever joined or left the registry in between, and the
 * counts the batch reports are those of the plan it sent.
 *
 * <p>Partitions whose first page is the whole partition are packed together, in partition order,
 * into the batch's own chunks (up to one plan entry of ids): at 15,000 connections over 2,500 partitions
 * a partition holds six ids, and a chunk per partition would cost postMessage a claim, an outcome
 * and a count for every six posts. Larger partitions are planned and sent page by page, so memory
 * stays bounded by a page per partition whatever their size.
 */
public final class BatchQuery {

    /** Batches in flight per invocation before reading waits for SQS. */
    private static final int MAX_BATCHES_IN_FLIGHT = 20;

    private final DynamoDbAsyncClient dynamo;
    private final SqsAsyncClient sqs;
    private final FanoutConfig config;
    private final BroadcastMessages messages;
    private final PlanStore plans;

    public BatchQuery(DynamoDbAsyncClient dynamo, SqsAsyncClient sqs, FanoutConfig config, Clock clock) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.config = config;
        this.messages = new BroadcastMessages(dynamo, config.broadcastsTable());
        this.plans = new PlanStore(dynamo, config.deliveriesTable(), clock);
        config.requireShardQueueUrls();
    }

    public QueryResult run(PartitionBatch batch) {
        String broadcastId = batch.batchInput().broadcastId();
        ChunkPlanner planner = new ChunkPlanner(broadcastId, batch.batchInput().seq(), messages.messageOf(broadcastId),
                config.chunkSize(), config.sqsMaxMessageBytes());
        PartitionReader reader = new PartitionReader(dynamo, config.connectionsTable(), config.partitionIndex());
        ShardPublisher publisher = new ShardPublisher(sqs, config.requireShardQueueUrls(),
                config.sqsMaxMessageBytes(), MAX_BATCHES_IN_FLIGHT);
        Run run = new Run(broadcastId, planner, reader, publisher);
        List<Integer> items = batch.items();
        try {
            List<CompletableFuture<PartitionReader.Page>> reads = new ArrayList<>();
            for (int partitionId : items) {
                reads.add(reader.page(partitionId, null, planner.pageSize()));
            }
            List<PartitionReader.Page> firstPages = reads.stream().map(CompletableFuture::join).toList();
            PlanEntry packed = plans.putOrGet(broadcastId, packedProposal(items, firstPages, planner)).join();
            Set<Integer> packedPartitions = new HashSet<>(packed.packed());

            List<CompletableFuture<Sent>> partitions = new ArrayList<>();
            partitions.add(run.send(packed));
            for (int i = 0; i < items.size(); i++) {
                if (!packedPartitions.contains(items.get(i))) {
                    partitions.add(run.pages(items.get(i), 0, firstPages.get(i)));
                }
            }
            Sent total = Sent.NONE;
            for (CompletableFuture<Sent> partition : partitions) {
                total = total.plus(partition.join());
            }
            publisher.flush().join();
            return new QueryResult(items.size(), total.connections(), total.chunks());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** The batch's whole partitions, in partition order, as long as they fit one plan entry together. */
    private static PlanEntry packedProposal(List<Integer> items, List<PartitionReader.Page> firstPages, ChunkPlanner planner) {
        List<Integer> packed = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            PartitionReader.Page page = firstPages.get(i);
            if (page.last() && ids.size() + page.ids().size() <= ChunkPlanner.MAX_IDS_PER_PLAN_ENTRY) {
                packed.add(items.get(i));
                ids.addAll(page.ids());
            }
        }
        int first = items.get(0);
        return new PlanEntry(PlanEntry.packedScope(first),
                planner.cut(ids, sequence -> DeliveryChunk.packedChunkId(first, sequence)), true, null, packed);
    }

    private record Sent(long connections, int chunks) {
        static final Sent NONE = new Sent(0, 0);

        static Sent of(PlanEntry entry) {
            return new Sent(entry.connections(), entry.chunks().size());
        }

        Sent plus(Sent other) {
            return new Sent(connections + other.connections, chunks + other.chunks);
        }
    }

    /** One invocation's work on one batch. */
    private final class Run {
        private final String broadcastId;
        private final ChunkPlanner planner;
        private final PartitionReader reader;
        private final ShardPublisher publisher;

        Run(String broadcastId, ChunkPlanner planner, PartitionReader reader, ShardPublisher publisher) {
            this.broadcastId = broadcastId;
            this.planner = planner;
            this.reader = reader;
            this.publisher = publisher;
        }

        /** Plans and sends page {@code pageNumber} of a partition and, after it, the rest of the partition. */
        CompletableFuture<Sent> pages(int partitionId, int pageNumber, PartitionReader.Page page) {
            List<String> ids = page.ids();
            PlanEntry proposal = new PlanEntry(PlanEntry.pageScope(partitionId, pageNumber),
                    planner.cut(ids, sequence -> DeliveryChunk.partitionChunkId(partitionId, pageNumber, sequence)),
                    // An empty page has no id to resume after: it can only be the end.
                    page.last() || ids.isEmpty(), ids.isEmpty() ? null : ids.get(ids.size() - 1), List.of());
            return plans.putOrGet(broadcastId, proposal).thenCompose(stored -> send(stored).thenCompose(sent -> {
                if (stored.last()) {
                    return CompletableFuture.completedFuture(sent);
                }
                return reader.page(partitionId, stored.cursor(), planner.pageSize())
                        .thenCompose(next -> pages(partitionId, pageNumber + 1, next))
                        .thenApply(sent::plus);
            }));
        }

        CompletableFuture<Sent> send(PlanEntry entry) {
            CompletableFuture<Void> admitted = CompletableFuture.completedFuture(null);
            for (PlannedChunk chunk : entry.chunks()) {
                admitted = admitted.thenCompose(ok -> publisher.submit(planner.delivery(chunk)));
            }
            return admitted.thenApply(ok -> Sent.of(entry));
        }
    }
}
