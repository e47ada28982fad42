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
    private final LambdaAccount lambda;
    private final LambdaFunction swarmFunction;
    private final SqsQueue partitionQueue;
    private final QueryFunction query;
    private final SqsBatchSender sender;
    private int nextShard;

    SwarmFanout(SimulationParameters parameters, EventScheduler scheduler, LambdaAccount lambda, SqsBatchSender sender, SqsQueue partitionQueue, QueryFunction query) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.lambda = lambda;
        this.swarmFunction = lambda.function("swarm");
        this.partitionQueue = partitionQueue;
        this.query = query;
        this.sender = sender;
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
        long sent = sender.send(messages, List.of(partitionQueue), 0, 0);
        scheduler.after(sent, () -> lambda.finish(swarmFunction));
    }

    /** The query function, invoked by the partition queue's event source mapping. */
    @Override
    public void consume(List<SqsMessage> batch, SqsQueue source, Consumer<List<SqsMessage>> done) {
        int[] sizes = batch.stream().mapToInt(SqsMessage::connections).toArray();
        query.run(sizes, nextShard++, () -> done.accept(List.of()));
    }
}
