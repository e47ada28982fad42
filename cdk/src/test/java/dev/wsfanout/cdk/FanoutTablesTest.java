package dev.wsfanout.cdk;

import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.TableSchema;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The construct declares exactly the model's tables: keys, attribute types, indexes and TTL. */
class FanoutTablesTest {

    @Test
    void everyTableIsDeclaredAsTheModelDescribesIt() {
        DeployConfig config = DeployConfig.defaults();
        Stack stack = new Stack(new App(), "TablesOnly");
        new FanoutTables(stack, "Tables", config);
        Template template = Template.fromStack(stack);

        List<TableSchema> tables = FanoutSchema.of(config.fanout()).all();
        template.resourceCountIs("AWS::DynamoDB::Table", tables.size());
        for (TableSchema table : tables) {
            Map<String, Object> expected = new HashMap<>();
            expected.put("KeySchema", keySchema(table.partitionKey(), table.sortKey()));
            expected.put("AttributeDefinitions", table.keyAttributes().stream()
                    .map(k -> Map.of("AttributeName", k.name(), "AttributeType", k.type().code())).toList());
            expected.put("BillingMode", "PAY_PER_REQUEST");
            expected.put("TimeToLiveSpecification", table.ttl()
                    .<Object>map(ttl -> Map.of("AttributeName", ttl, "Enabled", true)).orElse(Match.absent()));
            expected.put("GlobalSecondaryIndexes", table.globalIndexes().isEmpty() ? Match.absent()
                    : table.globalIndexes().stream().map(index -> Map.of(
                            "IndexName", index.name(),
                            "KeySchema", keySchema(index.partitionKey(), index.sortKey()),
                            "Projection", Map.of("ProjectionType", index.projection().name()))).toList());
            template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(expected));
        }
    }

    private static List<Map<String, String>> keySchema(TableSchema.Key partitionKey, TableSchema.Key sortKey) {
        List<Map<String, String>> keys = new ArrayList<>();
        keys.add(Map.of("AttributeName", partitionKey.name(), "KeyType", "HASH"));
        if (sortKey != null) {
            keys.add(Map.of("AttributeName", sortKey.name(), "KeyType", "RANGE"));
        }
        return keys;
    }
}
