package dev.wsfanout.plan;

/**
 * One SQS message: a chunk of connection ids (wsfanout), a single id (seed), or a partition (the
 * seed's partition queue; {@code connections} is then the partition's size).
 *
 * @param attempt   wsfanout's delivery attempt of these ids: postMessage re-enqueues the ids still
 *                  throttled as a new chunk with the next attempt number
 * @param delivered seed only: the message's post already succeeded once, but the message came back
 *                  with its failed batch, so posting it again is a duplicate rather than a delivery
 */
record SqsMessage(int connections, int attempt, boolean delivered) {

    static SqsMessage of(int connections) {
        return new SqsMessage(connections, 0, false);
    }
}
