package dev.wsfanout.plan;

/**
 * One SQS message: a chunk of connection ids (wsfanout) or a single id (seed). {@code delivered}
 * marks a message whose post already succeeded once but that came back because its batch failed, so
 * posting it again is a duplicate rather than a delivery.
 */
record SqsMessage(int connections, boolean delivered) {
}
