package dev.wsfanout.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads a function's {@code SQSBatchResponse} ({@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}})
 * the way Lambda does when the mapping has ReportBatchItemFailures on:
 * <ul>
 *   <li>no response, {@code null}, a response without {@code batchItemFailures}, or an empty/null list:
 *       every message succeeded;</li>
 *   <li>a response that is not JSON, a {@code batchItemFailures} that is not a list, or an entry whose
 *       {@code itemIdentifier} is missing, null, empty or not a message of the batch: the whole batch failed;</li>
 *   <li>otherwise exactly the listed messages failed.</li>
 * </ul>
 */
final class SqsBatchResponseReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SqsBatchResponseReader() {
    }

    /** The ids of the messages that must stay on the queue. */
    static Set<String> failedMessageIds(byte[] response, Set<String> batchMessageIds) {
        JsonNode root;
        try {
            root = response == null || response.length == 0 ? null : JSON.readTree(response);
        } catch (IOException notJson) {
            return batchMessageIds;
        }
        JsonNode failures = root == null ? null : root.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return Set.of();
        }
        if (!failures.isArray()) {
            return batchMessageIds;
        }
        Set<String> failed = new LinkedHashSet<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty() || !batchMessageIds.contains(id.asText())) {
                return batchMessageIds;
            }
            failed.add(id.asText());
        }
        return Set.copyOf(failed);
    }
}
