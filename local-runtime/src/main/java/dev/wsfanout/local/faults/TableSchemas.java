package dev.wsfanout.local.faults;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which attribute is each table's (and each global secondary index's) partition key, learnt from the
 * upstream's DescribeTable answers and forgotten when a CreateTable, DeleteTable or UpdateTable passes
 * through the proxy. A local secondary index shares its table's partitions, so it maps to the table itself.
 */
final class TableSchemas {

    /**
     * @param hashKey        the table's partition key attribute
     * @param indexHashKeys  index name to its partition key attribute; null for a local index (the table's partitions)
     */
    record Schema(String hashKey, Map<String, String> indexHashKeys) {

        /** The partition key of {@code index} (null = the table), or null when the schema has no such index. */
        String hashKeyOf(String index) {
            if (index == null) {
                return hashKey;
            }
            if (!indexHashKeys.containsKey(index)) {
                return null;
            }
            String key = indexHashKeys.get(index);
            return key == null ? hashKey : key;
        }

        /** The throughput bucket an index's reads draw on: a global index has its own, a local one the table's. */
        boolean ownPartitions(String index) {
            return index != null && indexHashKeys.get(index) != null;
        }
    }

    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    Schema get(String table) {
        return schemas.get(table);
    }

    void forget(String table) {
        schemas.remove(table);
    }

    /** Learns from a DescribeTable response body; false when it does not describe a table. */
    boolean learn(String table, JsonNode describeResponse) {
        JsonNode description = describeResponse == null ? null : describeResponse.get("Table");
        if (description == null) {
            return false;
        }
        String hashKey = hashKey(description.get("KeySchema"));
        if (hashKey == null) {
            return false;
        }
        Map<String, String> indexes = new HashMap<>();
        for (JsonNode gsi : iterable(description.get("GlobalSecondaryIndexes"))) {
            String name = gsi.path("IndexName").asText(null);
            String key = hashKey(gsi.get("KeySchema"));
            if (name != null && key != null) {
                indexes.put(name, key);
            }
        }
        for (JsonNode lsi : iterable(description.get("LocalSecondaryIndexes"))) {
            String name = lsi.path("IndexName").asText(null);
            if (name != null) {
                indexes.put(name, null);
            }
        }
        schemas.put(table, new Schema(hashKey, indexes));
        return true;
    }

    private static String hashKey(JsonNode keySchema) {
        for (JsonNode element : iterable(keySchema)) {
            if ("HASH".equals(element.path("KeyType").asText())) {
                return element.path("AttributeName").asText(null);
            }
        }
        return null;
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array != null && array.isArray() ? array : java.util.List.of();
    }
}
