package dev.wsfanout.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One DynamoDB table's layout, free of any AWS library: its keys, its global secondary indexes and
 * its TTL attribute. The CDK construct and the local table creation are both made from these (see
 * {@link FanoutSchema}); every table is on-demand.
 *
 * @param id            the table's logical name ({@code Connections}): the CDK construct id
 * @param tableName     the physical name the configuration gives it (the local stack's; CloudFormation names its own)
 * @param partitionKey  the partition (HASH) key
 * @param sortKey       the sort (RANGE) key, or null
 * @param globalIndexes the global secondary indexes
 * @param ttlAttribute  the attribute DynamoDB expires items on (epoch seconds), or null for none
 */
public record TableSchema(String id, String tableName, Key partitionKey, Key sortKey, List<Index> globalIndexes,
                          String ttlAttribute) {

    /** A key attribute's scalar type: DynamoDB's {@code S} and {@code N}. */
    public enum KeyType {
        STRING("S"), NUMBER("N");

        private final String code;

        KeyType(String code) {
            this.code = code;
        }

        /** DynamoDB's attribute type code ({@code S}, {@code N}). */
        public String code() {
            return code;
        }
    }

    /** What a global secondary index copies from its table. */
    public enum Projection {
        KEYS_ONLY, ALL
    }

    public record Key(String name, KeyType type) {
        public Key {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /** A global secondary index: its own partition key, an optional sort key, and its projection. */
    public record Index(String name, Key partitionKey, Key sortKey, Projection projection) {
        public Index {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(partitionKey, "partitionKey");
            Objects.requireNonNull(projection, "projection");
        }

        public Optional<Key> sort() {
            return Optional.ofNullable(sortKey);
        }
    }

    public TableSchema {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(partitionKey, "partitionKey");
        globalIndexes = List.copyOf(globalIndexes);
    }

    public Optional<Key> sort() {
        return Optional.ofNullable(sortKey);
    }

    public Optional<String> ttl() {
        return Optional.ofNullable(ttlAttribute);
    }

    /** Every attribute a key of the table or of an index uses, once each, in order of first use. */
    public List<Key> keyAttributes() {
        List<Key> keys = new ArrayList<>();
        addOnce(keys, partitionKey);
        addOnce(keys, sortKey);
        for (Index index : globalIndexes) {
            addOnce(keys, index.partitionKey());
            addOnce(keys, index.sortKey());
        }
        return List.copyOf(keys);
    }

    private static void addOnce(List<Key> keys, Key key) {
        if (key == null) {
            return;
        }
        for (Key known : keys) {
            if (known.name().equals(key.name())) {
                if (known.type() != key.type()) {
                    throw new IllegalArgumentException("attribute " + key.name() + " is both " + known.type() + " and " + key.type());
                }
                return;
            }
        }
        keys.add(key);
    }
}
