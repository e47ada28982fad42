package dev.wsfanout.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FanoutSchemaTest {

    @Test
    void tablesTakeTheirNamesAndThePartitionIndexFromTheConfig() {
        FanoutConfig config = FanoutConfig.fromEnv(Map.of(FanoutConfig.CONNECTIONS_TABLE, "c-table",
                FanoutConfig.PARTITION_INDEX, "idx", FanoutConfig.DELIVERIES_TABLE, "d-table", FanoutConfig.HISTORY_TABLE, "h-table"));
        FanoutSchema schema = FanoutSchema.of(config);
        assertEquals("c-table", schema.connections().tableName());
        assertEquals("idx", schema.connections().globalIndexes().get(0).name());
        assertEquals("d-table", schema.deliveries().tableName());
        assertEquals("h-table", schema.history().tableName());
        assertEquals(List.of("Connections", "Partitions", "Broadcasts", "Deliveries", "History"),
                schema.all().stream().map(TableSchema::id).toList());
    }

    @Test
    void keyAttributesAreDefinedOnceEach() {
        TableSchema connections = FanoutSchema.of(FanoutConfig.defaults()).connections();
        assertEquals(List.of(new TableSchema.Key(FanoutSchema.CONNECTION_ID, TableSchema.KeyType.STRING),
                        new TableSchema.Key(FanoutSchema.PARTITION_ID, TableSchema.KeyType.NUMBER)),
                connections.keyAttributes());
    }

    @Test
    void anAttributeCannotHaveTwoTypes() {
        TableSchema.Key s = new TableSchema.Key("k", TableSchema.KeyType.STRING);
        TableSchema.Key n = new TableSchema.Key("k", TableSchema.KeyType.NUMBER);
        TableSchema t = new TableSchema("T", "t", s, null,
                List.of(new TableSchema.Index("i", n, null, TableSchema.Projection.ALL)), null);
        assertThrows(IllegalArgumentException.class, t::keyAttributes);
    }
}
