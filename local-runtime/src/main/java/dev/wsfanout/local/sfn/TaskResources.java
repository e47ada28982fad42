package dev.wsfanout.local.sfn;

import dev.wsfanout.local.lambda.LocalFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What Task states can reach: the local Lambda functions by name, the DynamoDB client for the
 * dynamodb:* integrations (null when no machine uses them; such a task then fails with a clear
 * error), and the region/account used in ARNs.
 */
public record TaskResources(Map<String, LocalFunction> functions, DynamoDbClient dynamoDb, String region, String accountId) {

    public TaskResources {
        functions = Map.copyOf(functions);
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects functions and the DynamoDB client; region defaults to us-east-1, account to 000000000000. */
    public static final class Builder {
        private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
        private DynamoDbClient dynamoDb;
        private String region = "us-east-1";
        private String accountId = "000000000000";

        private Builder() {
        }

        public Builder function(LocalFunction function) {
            if (functions.putIfAbsent(function.name(), function) != null) {
                throw new IllegalArgumentException("two functions named " + function.name());
            }
            return this;
        }

        public Builder dynamoDb(DynamoDbClient client) {
            this.dynamoDb = client;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public TaskResources build() {
            return new TaskResources(functions, dynamoDb, region, accountId);
        }
    }
}
