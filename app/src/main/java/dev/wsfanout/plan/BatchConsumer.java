package dev.wsfanout.plan;

import java.util.List;
import java.util.function.Consumer;

/** The function an event source mapping invokes: it handles one batch inside one Lambda invocation. */
interface BatchConsumer {

    /**
     * Handles {@code batch}, received from {@code source}, then calls {@code done} once with the
     * messages that must come back to the queue (an empty list when the whole batch succeeded).
     */
    void consume(List<SqsMessage> batch, SqsQueue source, Consumer<List<SqsMessage>> done);
}
