package dev.wsfanout.local.sfn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * ItemBatcher (AWS developer guide, "ItemBatcher (Map)"): groups a Distributed Map's items into
 * batches of at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes of JSON; without an
 * ItemBatcher every item is its own "batch" of one.
 */
final class ItemBatches {

    private ItemBatches() {
    }

    static List<List<Object>> split(StateVisit visit, Object effective, List<Object> items) {
        Map<String, Object> batcher = settings(visit, effective);
        Long maxItems = batcher == null ? Long.valueOf(1) : limit(visit, batcher, "MaxItemsPerBatch");
        Long maxBytes = batcher == null ? null : limit(visit, batcher, "MaxInputBytesPerBatch");
        if (batcher != null && maxItems == null && maxBytes == null) {
            throw new StatesError(StatesError.RUNTIME, "The ItemBatcher of Map state '" + visit.state().name()
                    + "' needs MaxItemsPerBatch or MaxInputBytesPerBatch");
        }
        List<List<Object>> batches = new ArrayList<>();
        List<Object> current = new ArrayList<>();
        long bytes = 2;
        for (Object item : items) {
            long size = Json.write(item).getBytes(StandardCharsets.UTF_8).length + 1L;
            boolean full = maxItems != null && current.size() >= maxItems || maxBytes != null && !current.isEmpty() && bytes + size > maxBytes;
            if (full) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 2;
            }
            current.add(item);
            bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    static Object batchInput(StateVisit visit, Object effective) {
        Map<String, Object> batcher = settings(visit, effective);
        return batcher == null ? null : batcher.get("BatchInput");
    }

    /** The ItemBatcher with its expressions (JSONata) or payload template and *Path fields (JSONPath) evaluated. */
    private static Map<String, Object> settings(StateVisit visit, Object effective) {
        if (!visit.state().details(MapState.Settings.class).batched()) {
            return null;
        }
        Object raw = visit.state().field("ItemBatcher");
        if (visit.state().isJsonata()) {
            Map<String, Object> states = new LinkedHashMap<>();
            states.put("input", visit.input());
            states.put("context", visit.context());
            return Json.asObject(JsonataEvaluator.evaluate(raw, states, visit.variables(), "ItemBatcher"));
        }
        PathResolver paths = new PathResolver(effective, visit.context(), visit.variables());
        Map<String, Object> evaluated = new LinkedHashMap<>(Json.asObject(raw));
        for (String field : List.of("MaxItemsPerBatch", "MaxInputBytesPerBatch")) {
            if (evaluated.get(field + "Path") instanceof String path) {
                try {
                    evaluated.put(field, paths.resolve(path));
                } catch (JsonPath.NotFound e) {
                    throw new StatesError(StatesError.RUNTIME, "Invalid path in ItemBatcher " + field + "Path: " + e.getMessage());
                }
            }
        }
        if (evaluated.containsKey("BatchInput")) {
            evaluated.put("BatchInput", PayloadTemplate.apply(evaluated.get("BatchInput"), paths, "ItemBatcher/BatchInput"));
        }
        return evaluated;
    }

    private static Long limit(StateVisit visit, Map<String, Object> batcher, String field) {
        Object value = batcher.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Long n) || n < 1) {
            throw new StatesError(StatesError.RUNTIME, "The ItemBatcher " + field + " of Map state '" + visit.state().name()
                    + "' must be a positive integer, was " + Json.write(value));
        }
        return n;
    }
}
