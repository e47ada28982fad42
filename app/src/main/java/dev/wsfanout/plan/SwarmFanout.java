package dev.wsfanout.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The seed design's front half. The swarm Lambda sends one message per partition to a single queue
 * (SendMessageBatch, 10 a call); an event source mapping on that queue invokes the query function
 * with batches of partitions, and the query function sends one message per connection.
 */
final class SwarmFanout implements BatchConsumer {

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final LambdaAccount lambda;
    private final LambdaFunction swarmFunction;
    private final SqsQueue partitionQueue;
    private final QueryFunction query;
    private int nextShard;
    private long sendMessageBatchCalls;

    SwarmFanout(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                LambdaAccount lambda, SqsQueue partitionQueue, QueryFunction query) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.lambda = lambda;
        this.swarmFunction = lambda.function("swarm");
        this.partitionQueue = partitionQueue;
        this.query = query;
    }

    long sendMessageBatchCalls() {
        return sendMessageBatchCalls;
    }

    void start() {
        lambda.invoke(swarmFunction, this::sendPartitions);
    }

    /** A partition message stands for the connections of its partition; the query reads them. */
    private void sendPartitions() {
        PartitionLayout layout = new PartitionLayout(parameters.connections(), parameters.partitions());
        List<SqsMessage> messages = new ArrayList<>(parameters.partitions());
        for (int partition = 0; partition < parameters.partitions(); partition++) {
            messages.add(SqsMessage.of(layout.connectionsIn(partition)));
        }
        int perWave = parameters.querySendConcurrency() * SimulationParameters.SQS_BATCH_ENTRIES;
        long elapsed = 0;
        for (int from = 0; from < messages.size(); from += perWave) {
            elapsed += latency.micros(parameters.sqsSendLatencyMs());
            List<SqsMessage> wave = messages.subList(from, Math.min(messages.size(), from + perWave));
            scheduler.after(elapsed, () -> partitionQueue.send(wave));
        }
        sendMessageBatchCalls += (messages.size() + SimulationParameters.SQS_BATCH_ENTRIES - 1)
                / SimulationParameters.SQS_BATCH_ENTRIES;
        scheduler.after(elapsed, () -> lambda.finish(swarmFunction));
    }

    /** The query function, invoked by the partition queue's event source mapping. */
    @Override
    public void consume(List<SqsMessage> batch, SqsQueue source, Consumer<List<SqsMessage>> done) {
        int[] sizes = batch.stream().mapToInt(SqsMessage::connections).toArray();
        query.run(sizes, nextShard++, () -> done.accept(List.of()));
    }
}
