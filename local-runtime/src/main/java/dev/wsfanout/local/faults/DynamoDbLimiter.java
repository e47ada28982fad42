package dev.wsfanout.local.faults;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wsfanout.local.faults.KeyBuckets.Key;
import dev.wsfanout.local.faults.KeyBuckets.Kind;
import dev.wsfanout.local.faults.LimitCounters.Refusal;
import dev.wsfanout.local.faults.TableSchemas.Schema;
import dev.wsfanout.model.JsonCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DynamoDB's limits, applied to the requests the fault plan let through. Only the operations a limit
 * concerns are parsed (PutItem, UpdateItem, DeleteItem, GetItem, Query, BatchGetItem, BatchWriteItem; the
 * table DDL to forget schemas); everything else passes untouched.
 *
 * <p>Throughput: the request's key is checked against its bucket before forwarding, and what it consumed is
 * charged when the answer comes back. Single-item operations and Query learn what they consumed from dynalite
 * itself: the proxy adds {@code "ReturnConsumedCapacity":"TOTAL"} to the forwarded body when the client did not
 * ask for it, reads {@code ConsumedCapacity} from the answer and cuts it out again (dynalite charges as AWS does:
 * writes by the larger of the old and new item, per 1 KB; reads per 4 KB, eventually consistent ones half).
 * Batches are charged per entry from their items' sizes, as AWS charges them.
 */
final class DynamoDbLimiter {

    static final String ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size";
    static final String BATCH_WRITE_TOO_LARGE = "Too many items requested for the BatchWriteItem call";

    private static final String CAPACITY_FIELD = "ConsumedCapacity";
    private static final byte[] ASK_CAPACITY = "\"ReturnConsumedCapacity\":\"TOTAL\"".getBytes(StandardCharsets.US_ASCII);
    private static final String CRC32_HEADER = "x-amz-crc32";
    /** One side of a key condition: {@code pk = :v}, {@code #pk = :v}, or reversed. */
    private static final Pattern EQUALITY = Pattern.compile("^\\(*\\s*([#:]?[\\w.\\-]+)\\s*=\\s*([#:]?[\\w.\\-]+)\\s*\\)*$");
    private static final Pattern AND = Pattern.compile("(?i)\\s+AND\\s+");

    /** What to do with one request. */
    sealed interface Decision permits Pass, Describe, Refuse, Forward {
    }

    /** Forward untouched; nothing to charge. */
    enum Pass implements Decision {
        INSTANCE
    }

    /** The schema of {@code table} is unknown: ask the upstream (DescribeTable), then decide again. */
    record Describe(String table) implements Decision {
    }

    /** Answer with {@code response}; forward nothing, charge nothing. */
    record Refuse(FullHttpResponse response) implements Decision {
    }

    /** Forward, with {@code body} in place of the client's when not null; pass the answer through {@code settlement}. */
    record Forward(byte[] body, Settlement settlement) implements Decision {
    }

    /** Charges what the answered request consumed; may return a changed response (releasing the one it got). */
    interface Settlement {
        FullHttpResponse settle(FullHttpResponse response);
    }

    private final DynamoDbLimits limits;
    private final LimitCounters counters;
    private final TableSchemas schemas = new TableSchemas();
    private final KeyBuckets buckets;

    DynamoDbLimiter(DynamoDbLimits limits, LimitCounters counters) {
        this.limits = limits;
        this.counters = counters;
        this.buckets = new KeyBuckets(limits);
    }

    KeyBuckets buckets() {
        return buckets;
    }

    /**
     * @param described the tables this request already had described: one whose schema is still unknown (the
     *                  table does not exist) is not limited, and the upstream answers for it
     */
    Decision decide(AwsRequest request, Set<String> described) {
        if (request.service() != AwsService.DYNAMODB) {
            return Pass.INSTANCE;
        }
        String operation = request.operation();
        switch (operation) {
            case "PutItem", "UpdateItem", "DeleteItem", "GetItem", "Query", "BatchGetItem", "BatchWriteItem" -> {
            }
            case "CreateTable", "DeleteTable", "UpdateTable" -> {
                JsonNode root = request.json();
                if (root != null && root.path("TableName").isTextual()) {
                    schemas.forget(root.get("TableName").textValue());
                }
                return Pass.INSTANCE;
            }
            default -> {
                return Pass.INSTANCE;
            }
        }
        JsonNode root = request.json();
        if (root == null || !root.isObject()) {
            return Pass.INSTANCE;
        }
        return switch (operation) {
            case "PutItem" -> {
                if (limits.itemSize() && request.body().readableBytes() > DynamoDbLimits.AWS_MAX_ITEM_BYTES
                        && tooLarge(root.get("Item"))) {
                    yield refuse(Refusal.ITEM_TOO_LARGE, ITEM_TOO_LARGE);
                }
                yield single(request, root, root.get("Item"), Kind.WRITE, described);
            }
            case "UpdateItem", "DeleteItem" -> single(request, root, root.get("Key"), Kind.WRITE, described);
            case "GetItem" -> single(request, root, root.get("Key"), Kind.READ, described);
            case "Query" -> query(request, root, described);
            case "BatchGetItem" -> batchGet(root, described);
            default -> batchWrite(request, root, described);
        };
    }

    /** Learns a table's schema from the DescribeTable answer the proxy asked for. */
    void learn(String table, FullHttpResponse response) {
        if (response.status().code() == 200) {
            schemas.learn(table, ResourceNames.parse(response.content()));
        }
    }

    /** The DescribeTable the proxy sends on the client's upstream connection, signed (for dynalite's check) as the client's request was. */
    static FullHttpRequest describeRequest(String table, FullHttpRequest like) {
        byte[] body = ("{\"TableName\":" + quoted(table) + "}").getBytes(StandardCharsets.UTF_8);
        FullHttpRequest describe = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.wrappedBuffer(body));
        HttpHeaders from = like.headers();
        HttpHeaders to = describe.headers();
        for (CharSequence name : List.of(HttpHeaderNames.HOST, HttpHeaderNames.AUTHORIZATION, "X-Amz-Date", "X-Amz-Security-Token")) {
            String value = from.get(name);
            if (value != null) {
                to.set(name, value);
            }
        }
        to.set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.0");
        to.set(AwsRequest.TARGET_HEADER, "DynamoDB_20120810.DescribeTable");
        to.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return describe;
    }

    // --- single-item operations and Query ---

    private Decision single(AwsRequest request, JsonNode root, JsonNode keySource, Kind kind, Set<String> described) {
        if (!limits.throughput()) {
            return Pass.INSTANCE;
        }
        String table = root.path("TableName").asText(null);
        if (table == null || keySource == null || !keySource.isObject()) {
            return Pass.INSTANCE;
        }
        Schema schema = schemas.get(table);
        if (schema == null) {
            return described.contains(table) ? Pass.INSTANCE : new Describe(table);
        }
        JsonNode value = keySource.get(schema.hashKey());
        if (value == null) {
            return Pass.INSTANCE;
        }
        return checked(request, root, new Key(table, null, keyValue(value)), kind);
    }

    private Decision query(AwsRequest request, JsonNode root, Set<String> described) {
        if (!limits.throughput()) {
            return Pass.INSTANCE;
        }
        String table = root.path("TableName").asText(null);
        if (table == null) {
            return Pass.INSTANCE;
        }
        Schema schema = schemas.get(table);
        if (schema == null) {
            return described.contains(table) ? Pass.INSTANCE : new Describe(table);
        }
        String index = root.path("IndexName").asText(null);
        String hashKey = schema.hashKeyOf(index);
        JsonNode value = hashKey == null ? null : queriedHashValue(root, hashKey);
        if (value == null) {
            return Pass.INSTANCE;
        }
        return checked(request, root, new Key(table, schema.ownPartitions(index) ? index : null, keyValue(value)), Kind.READ);
    }

    private Decision checked(AwsRequest request, JsonNode root, Key key, Kind kind) {
        if (buckets.exhausted(key, kind)) {
            counters.recordThrottled(key, kind, true);
            return new Refuse(throttle(key, kind));
        }
        String asked = root.path("ReturnConsumedCapacity").asText("NONE");
        boolean clientAsked = asked.equals("TOTAL") || asked.equals("INDEXES");
        byte[] body = clientAsked ? null : askingCapacity(request.body());
        return new Forward(body, response -> settleSingle(response, key, kind, !clientAsked));
    }

    private FullHttpResponse settleSingle(FullHttpResponse response, Key key, Kind kind, boolean strip) {
        int status = response.status().code();
        if (status == 200) {
            byte[] bytes = ByteBufUtil.getBytes(response.content());
            CapacityField field = capacityField(bytes);
            if (field == null) {
                return response;
            }
            buckets.charge(key, kind, field.units());
            return strip ? withBody(response, field.cut(bytes)) : response;
        }
        if (status == 400 && kind == Kind.WRITE
                && response.content().toString(StandardCharsets.UTF_8).contains("ConditionalCheckFailedException")) {
            // a failed condition still consumes write units on AWS (the existing item's size, at least 1);
            // dynalite's error names none, so the minimum
            buckets.charge(key, kind, 1);
        }
        return response;
    }

    /** The hash key's value in a Query's {@code KeyConditionExpression} (or legacy {@code KeyConditions}), or null. */
    static JsonNode queriedHashValue(JsonNode root, String hashKey) {
        JsonNode expression = root.get("KeyConditionExpression");
        if (expression != null && expression.isTextual()) {
            JsonNode names = root.path("ExpressionAttributeNames");
            JsonNode values = root.path("ExpressionAttributeValues");
            for (String clause : AND.split(expression.textValue().trim())) {
                Matcher m = EQUALITY.matcher(clause.trim());
                if (!m.matches()) {
                    continue;
                }
                String left = m.group(1);
                String right = m.group(2);
                if (right.startsWith(":") && hashKey.equals(attributeName(left, names))) {
                    return values.get(right);
                }
                if (left.startsWith(":") && hashKey.equals(attributeName(right, names))) {
                    return values.get(left);
                }
            }
            return null;
        }
        JsonNode condition = root.path("KeyConditions").get(hashKey);
        if (condition != null && "EQ".equals(condition.path("ComparisonOperator").asText())) {
            return condition.path("AttributeValueList").get(0);
        }
        return null;
    }

    private static String attributeName(String token, JsonNode names) {
        if (token.startsWith("#")) {
            JsonNode name = names.get(token);
            return name == null ? null : name.asText();
        }
        return token.startsWith(":") ? null : token;
    }

    // --- batches ---

    private Decision batchGet(JsonNode root, Set<String> described) {
        if (!limits.throughput()) {
            return Pass.INSTANCE;
        }
        JsonNode requestItems = root.get("RequestItems");
        if (requestItems == null || !requestItems.isObject()) {
            return Pass.INSTANCE;
        }
        Decision missing = describeMissing(requestItems, described);
        if (missing != null) {
            return missing;
        }
        List<BatchTable> tables = new ArrayList<>();
        boolean anyKept = false;
        boolean anyThrottled = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Schema schema = schemas.get(entry.getKey());
            JsonNode keys = entry.getValue().path("Keys");
            BatchTable table = new BatchTable(entry.getKey(), schema, entry.getValue().path("ConsistentRead").asBoolean(false) ? 1.0 : 0.5);
            for (JsonNode key : keys) {
                JsonNode value = schema == null ? null : key.get(schema.hashKey());
                Key bucket = value == null ? null : new Key(table.name, null, keyValue(value));
                table.add(key, bucket, bucket != null && buckets.exhausted(bucket, Kind.READ));
            }
            anyKept |= !table.kept.isEmpty();
            anyThrottled |= !table.throttled.isEmpty();
            tables.add(table);
        }
        if (!anyThrottled) {
            return new Forward(null, response -> settleBatchGet(response, tables, null));
        }
        if (!anyKept) {
            return refuseBatch(tables, Kind.READ);
        }
        ObjectNode forwarded = root.deepCopy();
        ObjectNode forwardedItems = forwarded.putObject("RequestItems");
        ObjectNode unprocessed = JsonCodec.mapper().createObjectNode();
        for (BatchTable table : tables) {
            JsonNode original = requestItems.get(table.name);
            if (!table.kept.isEmpty()) {
                ObjectNode kept = original.deepCopy();
                kept.set("Keys", array(table.kept));
                forwardedItems.set(table.name, kept);
            }
            if (!table.throttled.isEmpty()) {
                ObjectNode held = original.deepCopy();
                held.set("Keys", array(table.throttled));
                unprocessed.set(table.name, held);
                table.throttledBuckets.forEach(bucket -> counters.recordThrottled(bucket, Kind.READ, false));
            }
        }
        return new Forward(bytes(forwarded), response -> settleBatchGet(response, tables, unprocessed));
    }

    private FullHttpResponse settleBatchGet(FullHttpResponse response, List<BatchTable> tables, ObjectNode unprocessed) {
        if (response.status().code() != 200) {
            return response;
        }
        JsonNode tree = ResourceNames.parse(response.content());
        if (tree == null || !tree.isObject()) {
            return response;
        }
        JsonNode responses = tree.path("Responses");
        for (BatchTable table : tables) {
            if (table.schema == null) {
                continue;
            }
            Map<Key, Integer> unanswered = new HashMap<>(table.keptCounts);
            for (JsonNode item : responses.path(table.name)) {
                JsonNode value = item.get(table.schema.hashKey());
                if (value == null) {
                    continue;
                }
                Key bucket = new Key(table.name, null, keyValue(value));
                buckets.charge(bucket, Kind.READ, Math.max(1, Math.ceil(ItemSize.of(item) / 4096.0)) * table.factor);
                unanswered.computeIfPresent(bucket, (k, n) -> n > 1 ? n - 1 : null);
            }
            // a key with no item still costs the minimum read
            unanswered.forEach((bucket, n) -> buckets.charge(bucket, Kind.READ, n * table.factor));
        }
        if (unprocessed == null) {
            return response;
        }
        ObjectNode merged = (ObjectNode) tree;
        JsonNode already = merged.get("UnprocessedKeys");
        if (already instanceof ObjectNode existing) {
            for (Iterator<Map.Entry<String, JsonNode>> it = unprocessed.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> held = it.next();
                JsonNode same = existing.get(held.getKey());
                if (same instanceof ObjectNode sameTable && sameTable.get("Keys") instanceof ArrayNode keys) {
                    keys.addAll((ArrayNode) held.getValue().get("Keys"));
                } else {
                    existing.set(held.getKey(), held.getValue());
                }
            }
        } else {
            merged.set("UnprocessedKeys", unprocessed);
        }
        return withBody(response, bytes(merged));
    }

    private Decision batchWrite(AwsRequest request, JsonNode root, Set<String> described) {
        JsonNode requestItems = root.get("RequestItems");
        if (requestItems == null || !requestItems.isObject()) {
            return Pass.INSTANCE;
        }
        if (limits.batchSize()) {
            int total = 0;
            boolean tableOverLimit = false;
            for (JsonNode writes : requestItems) {
                total += writes.size();
                tableOverLimit |= writes.size() > DynamoDbLimits.AWS_MAX_BATCH_WRITE;
            }
            // one table's list over 25 fails the model's own constraint, which dynalite reports as AWS does
            if (!tableOverLimit && total > DynamoDbLimits.AWS_MAX_BATCH_WRITE) {
                return refuse(Refusal.BATCH_TOO_LARGE, BATCH_WRITE_TOO_LARGE);
            }
        }
        if (limits.itemSize() && request.body().readableBytes() > DynamoDbLimits.AWS_MAX_ITEM_BYTES) {
            for (JsonNode writes : requestItems) {
                for (JsonNode write : writes) {
                    if (tooLarge(write.path("PutRequest").get("Item"))) {
                        return refuse(Refusal.ITEM_TOO_LARGE, ITEM_TOO_LARGE);
                    }
                }
            }
        }
        if (!limits.throughput()) {
            return Pass.INSTANCE;
        }
        Decision missing = describeMissing(requestItems, described);
        if (missing != null) {
            return missing;
        }
        List<BatchTable> tables = new ArrayList<>();
        boolean anyKept = false;
        boolean anyThrottled = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Schema schema = schemas.get(entry.getKey());
            BatchTable table = new BatchTable(entry.getKey(), schema, 1.0);
            for (JsonNode write : entry.getValue()) {
                JsonNode item = write.path("PutRequest").get("Item");
                JsonNode key = item != null ? item : write.path("DeleteRequest").get("Key");
                JsonNode value = schema == null || key == null ? null : key.get(schema.hashKey());
                Key bucket = value == null ? null : new Key(table.name, null, keyValue(value));
                boolean throttled = bucket != null && buckets.exhausted(bucket, Kind.WRITE);
                table.add(write, bucket, throttled);
                if (!throttled && bucket != null) {
                    // a put costs its new item's size per 1 KB; a delete the minimum (the old item is not seen)
                    table.writeUnits.merge(bucket, item == null ? 1.0 : Math.max(1, Math.ceil(ItemSize.of(item) / 1024.0)), Double::sum);
                }
            }
            anyKept |= !table.kept.isEmpty();
            anyThrottled |= !table.throttled.isEmpty();
            tables.add(table);
        }
        if (!anyThrottled) {
            return new Forward(null, response -> settleBatchWrite(response, tables, null));
        }
        if (!anyKept) {
            return refuseBatch(tables, Kind.WRITE);
        }
        ObjectNode forwarded = root.deepCopy();
        ObjectNode forwardedItems = forwarded.putObject("RequestItems");
        ObjectNode unprocessed = JsonCodec.mapper().createObjectNode();
        for (BatchTable table : tables) {
            if (!table.kept.isEmpty()) {
                forwardedItems.set(table.name, array(table.kept));
            }
            if (!table.throttled.isEmpty()) {
                unprocessed.set(table.name, array(table.throttled));
                table.throttledBuckets.forEach(bucket -> counters.recordThrottled(bucket, Kind.WRITE, false));
            }
        }
        return new Forward(bytes(forwarded), response -> settleBatchWrite(response, tables, unprocessed));
    }

    private FullHttpResponse settleBatchWrite(FullHttpResponse response, List<BatchTable> tables, ObjectNode unprocessed) {
        if (response.status().code() != 200) {
            return response;
        }
        tables.forEach(table -> table.writeUnits.forEach((bucket, units) -> buckets.charge(bucket, Kind.WRITE, units)));
        if (unprocessed == null) {
            return response;
        }
        JsonNode tree = ResourceNames.parse(response.content());
        if (!(tree instanceof ObjectNode merged)) {
            return response;
        }
        JsonNode already = merged.get("UnprocessedItems");
        if (already instanceof ObjectNode existing) {
            for (Iterator<Map.Entry<String, JsonNode>> it = unprocessed.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> held = it.next();
                if (existing.get(held.getKey()) instanceof ArrayNode writes) {
                    writes.addAll((ArrayNode) held.getValue());
                } else {
                    existing.set(held.getKey(), held.getValue());
                }
            }
        } else {
            merged.set("UnprocessedItems", unprocessed);
        }
        return withBody(response, bytes(merged));
    }

    /** One table of a batch: its entries kept and held back, and what the kept ones will be charged. */
    private static final class BatchTable {
        final String name;
        final Schema schema;
        final double factor;
        final List<JsonNode> kept = new ArrayList<>();
        final List<JsonNode> throttled = new ArrayList<>();
        final List<Key> throttledBuckets = new ArrayList<>();
        final Map<Key, Integer> keptCounts = new HashMap<>();
        final Map<Key, Double> writeUnits = new HashMap<>();

        BatchTable(String name, Schema schema, double factor) {
            this.name = name;
            this.schema = schema;
            this.factor = factor;
        }

        void add(JsonNode entry, Key bucket, boolean isThrottled) {
            if (isThrottled) {
                throttled.add(entry);
                throttledBuckets.add(bucket);
            } else {
                kept.add(entry);
                if (bucket != null) {
                    keptCounts.merge(bucket, 1, Integer::sum);
                }
            }
        }
    }

    private Decision describeMissing(JsonNode requestItems, Set<String> described) {
        for (Iterator<String> names = requestItems.fieldNames(); names.hasNext(); ) {
            String table = names.next();
            if (schemas.get(table) == null && !described.contains(table)) {
                return new Describe(table);
            }
        }
        return null;
    }

    /** Every entry of the batch was throttled: AWS then fails the whole call. */
    private Decision refuseBatch(List<BatchTable> tables, Kind kind) {
        Key first = tables.stream().flatMap(t -> t.throttledBuckets.stream()).findFirst().orElseThrow();
        counters.recordThrottled(first, kind, true);
        return new Refuse(throttle(first, kind));
    }

    // --- responses and bodies ---

    private Decision refuse(Refusal refusal, String message) {
        counters.recordRefused(refusal);
        return new Refuse(AwsErrors.dynamoDbValidation(message));
    }

    private FullHttpResponse throttle(Key key, Kind kind) {
        boolean index = key.index() != null;
        String reason = (index ? "Index" : "Table") + (kind == Kind.WRITE ? "Write" : "Read") + "KeyRangeThroughputExceeded";
        String arn = "arn:aws:dynamodb:" + limits.region() + ":" + limits.account() + ":table/" + key.table()
                + (index ? "/index/" + key.index() : "");
        return AwsErrors.dynamoDbKeyRangeThrottle(reason, arn);
    }

    private static boolean tooLarge(JsonNode item) {
        return item != null && item.isObject() && ItemSize.of(item) > DynamoDbLimits.AWS_MAX_ITEM_BYTES;
    }

    /** A key value as a bucket name: its type and its text, numbers in one canonical form ({@code N:1.50} = {@code N:1.5}). */
    static String keyValue(JsonNode attributeValue) {
        Iterator<Map.Entry<String, JsonNode>> typed = attributeValue.fields();
        if (!typed.hasNext()) {
            return attributeValue.toString();
        }
        Map.Entry<String, JsonNode> only = typed.next();
        String text = only.getValue().asText();
        if (only.getKey().equals("N")) {
            try {
                text = new BigDecimal(text).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                // dynalite will refuse it
            }
        }
        return only.getKey() + ":" + text;
    }

    /**
     * The client's body with {@code "ReturnConsumedCapacity":"TOTAL"} as its last member: JSON.parse keeps the
     * last of duplicate names, so it overrides a {@code "NONE"} the client sent.
     */
    static byte[] askingCapacity(ByteBuf body) {
        byte[] bytes = ByteBufUtil.getBytes(body);
        int close = bytes.length - 1;
        while (close >= 0 && bytes[close] != '}') {
            close--;
        }
        if (close < 0) {
            return null;
        }
        int before = close - 1;
        while (before >= 0 && Character.isWhitespace(bytes[before])) {
            before--;
        }
        boolean empty = before >= 0 && bytes[before] == '{';
        byte[] out = new byte[bytes.length + ASK_CAPACITY.length + (empty ? 0 : 1)];
        System.arraycopy(bytes, 0, out, 0, close);
        int at = close;
        if (!empty) {
            out[at++] = ',';
        }
        System.arraycopy(ASK_CAPACITY, 0, out, at, ASK_CAPACITY.length);
        at += ASK_CAPACITY.length;
        System.arraycopy(bytes, close, out, at, bytes.length - close);
        return out;
    }

    /** The top-level {@code ConsumedCapacity} member of a response: its units and where it lies in the body. */
    record CapacityField(double units, int start, int end) {

        /** The body without this member (and the comma that separated it). */
        byte[] cut(byte[] body) {
            int from = start;
            int to = end;
            int after = to;
            while (after < body.length && Character.isWhitespace(body[after])) {
                after++;
            }
            if (after < body.length && body[after] == ',') {
                to = after + 1;
            } else {
                int before = from - 1;
                while (before >= 0 && Character.isWhitespace(body[before])) {
                    before--;
                }
                if (before >= 0 && body[before] == ',') {
                    from = before;
                }
            }
            byte[] out = new byte[body.length - (to - from)];
            System.arraycopy(body, 0, out, 0, from);
            System.arraycopy(body, to, out, from, body.length - to);
            return out;
        }
    }

    /** Streams over the body's top level only, skipping every other member unread. Null when there is none. */
    static CapacityField capacityField(byte[] body) {
        try (JsonParser parser = JsonCodec.mapper().getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                int start = (int) parser.currentTokenLocation().getByteOffset();
                JsonToken value = parser.nextToken();
                if (!CAPACITY_FIELD.equals(name) || value != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    continue;
                }
                double units = 0;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String member = parser.currentName();
                    parser.nextToken();
                    if ("CapacityUnits".equals(member) && parser.currentToken().isNumeric()) {
                        units = parser.getDoubleValue();
                    } else {
                        parser.skipChildren();
                    }
                }
                return new CapacityField(units, start, (int) parser.currentLocation().getByteOffset());
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static FullHttpResponse withBody(FullHttpResponse response, byte[] body) {
        FullHttpResponse replaced = response.replace(Unpooled.wrappedBuffer(body));
        response.release();
        HttpHeaders headers = replaced.headers();
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        headers.set(CRC32_HEADER, AwsErrors.crc32(body));
        return replaced;
    }

    private static ArrayNode array(List<JsonNode> entries) {
        ArrayNode array = JsonCodec.mapper().createArrayNode();
        array.addAll(entries);
        return array;
    }

    private static byte[] bytes(JsonNode tree) {
        try {
            return JsonCodec.mapper().writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quoted(String text) {
        return new String(bytes(TextNode.valueOf(text)), StandardCharsets.UTF_8);
    }
}
