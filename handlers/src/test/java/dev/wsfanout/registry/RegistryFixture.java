package dev.wsfanout.registry;

import dev.wsfanout.aws.AwsClients;
import dev.wsfanout.local.dynamo.LocalTables;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Fresh, uniquely named tables on the test run's dynalite, so test classes never share data. */
public record RegistryFixture(FanoutConfig config, DynamoDbClient dynamo) {

    public static RegistryFixture create(URI dynamoEndpoint, Map<String, String> overrides) {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, String> env = new HashMap<>();
        env.put(FanoutConfig.CONNECTIONS_TABLE, prefix + "connections");
        env.put(FanoutConfig.PARTITIONS_TABLE, prefix + "partitions");
        env.put(FanoutConfig.BROADCASTS_TABLE, prefix + "broadcasts");
        env.put(FanoutConfig.DELIVERIES_TABLE, prefix + "deliveries");
        env.put(FanoutConfig.HISTORY_TABLE, prefix + "history");
        env.put(FanoutConfig.DYNAMODB_ENDPOINT, dynamoEndpoint.toString());
        env.putAll(overrides);
        FanoutConfig config = FanoutConfig.fromEnv(env);
        DynamoDbClient dynamo = new AwsClients(config, Map.of()).dynamoDb();
        LocalTables.createAll(dynamo, config);
        return new RegistryFixture(config, dynamo);
    }
}
