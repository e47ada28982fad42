package dev.wsfanout.plan;

/** The two pipelines the model compares. */
public enum Design {
    /** Step Functions Distributed Map, query Lambda, chunks of ids on 10 shard queues, paced postMessage. */
    WSFANOUT("wsfanout"),
    /** Swarm Lambda, one queue of partitions, one SQS message per connection on 10 queues, unpaced postMessage. */
    SEED("seed");

    private final String label;

    Design(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
