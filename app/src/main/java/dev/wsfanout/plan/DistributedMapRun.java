package dev.wsfanout.plan;

/**
 * wsfanout's Distributed Map: the partitions in batches of {@code mapBatchSize}, one EXPRESS child
 * per batch, started no faster than {@code mapStartRate} and never more than
 * {@code mapConcurrency} at once. Each child invokes the query function on its batch.
 */
final class DistributedMapRun {

    private final SimulationParameters parameters;
    private final EventScheduler scheduler;
    private final LatencySampler latency;
    private final LambdaAccount lambda;
    private final LambdaFunction queryFunction;
    private final QueryFunction query;
    private final PartitionLayout layout;
    private final TokenBucket childStarts;
    private final int children;
    private final Runnable onComplete;
    private boolean started;
    private int nextChild;
    private int running;
    private int completed;

    DistributedMapRun(SimulationParameters parameters, EventScheduler scheduler, LatencySampler latency,
                      LambdaAccount lambda, LambdaFunction queryFunction, QueryFunction query,
                      long tickMicros, Runnable onComplete) {
        this.parameters = parameters;
        this.scheduler = scheduler;
        this.latency = latency;
        this.lambda = lambda;
        this.queryFunction = queryFunction;
        this.query = query;
        this.layout = new PartitionLayout(parameters.connections(), parameters.partitions());
        this.childStarts = new TokenBucket(Math.max(1, parameters.mapStartRate() * tickMicros / 1e6),
                parameters.mapStartRate());
        this.children = (parameters.partitions() + parameters.mapBatchSize() - 1) / parameters.mapBatchSize();
        this.onComplete = onComplete;
    }

    void start() {
        started = true;
    }

    void tick() {
        while (started && nextChild < children && running < parameters.mapConcurrency()
                && childStarts.take(scheduler.now(), 1) == 1) {
            int child = nextChild++;
            running++;
            scheduler.after(latency.micros(parameters.childStartMs()),
                    () -> lambda.invoke(queryFunction, () -> runChild(child)));
        }
    }

    private void runChild(int child) {
        int first = child * parameters.mapBatchSize();
        int count = Math.min(parameters.mapBatchSize(), parameters.partitions() - first);
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = layout.connectionsIn(first + i);
        }
        query.run(sizes, child, () -> {
            lambda.finish(queryFunction);
            running--;
            completed++;
            if (completed == children) {
                onComplete.run();
            }
        });
    }

    boolean limitedByMaxConcurrency() {
        return started && nextChild < children && running >= parameters.mapConcurrency();
    }

    boolean limitedByStartRate() {
        return started && nextChild < children && running < parameters.mapConcurrency();
    }
}
