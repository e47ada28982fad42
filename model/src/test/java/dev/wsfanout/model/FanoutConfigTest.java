package dev.wsfanout.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanoutConfigTest {

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        FanoutConfig c = FanoutConfig.defaults();
        assertEquals(2500, c.partitionCount());
        assertEquals(10, c.shardCount());
        assertEquals(100, c.chunkSize());
        assertEquals("wsfanout-connections", c.connectionsTable());
        assertEquals("byPartition", c.partitionIndex());
        assertEquals(7500, c.connectionTtlSeconds());
        assertTrue(c.shardQueueUrls().isEmpty());
        assertTrue(c.managementEndpoint().isEmpty());
    }

    @Test
    void valuesAreReadFromTheEnvironment() {
        FanoutConfig c = FanoutConfig.fromEnv(Map.of(
                "PARTITION_COUNT", "40", "SHARD_COUNT", "2", "CHUNK_SIZE", "7",
                "SHARD_QUEUE_URLS", "http://127.0.0.1:9324/q/a, http://127.0.0.1:9324/q/b",
                "MANAGEMENT_ENDPOINT", "http://127.0.0.1:8081/local"));
        assertEquals(40, c.partitionCount());
        assertEquals(List.of("http://127.0.0.1:9324/q/a", "http://127.0.0.1:9324/q/b"), c.shardQueueUrls());
        assertEquals(URI.create("http://127.0.0.1:8081/local"), c.requireManagementEndpoint());
    }

    @Test
    void toEnvRoundTrips() {
        FanoutConfig c = FanoutConfig.fromEnv(Map.of("PARTITION_COUNT", "40", "SHARD_COUNT", "1",
                "SHARD_QUEUE_URLS", "http://127.0.0.1:1/q", "DYNAMODB_ENDPOINT", "http://127.0.0.1:2"));
        assertEquals(c, FanoutConfig.fromEnv(c.toEnv()));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "PARTITION_COUNT|0|1..20000",
            "PARTITION_COUNT|abc|not a whole number",
            "PARTITION_COUNT|20001|1..20000",
            "SHARD_COUNT|0|1..100",
            "CHUNK_SIZE|1001|1..1000",
            "POST_RATE|-5|1..100000",
            "POST_CONCURRENCY|0|1..2000",
            "MAX_DELIVERY_ATTEMPTS|0|1..20",
            "CONNECTION_TTL_SECONDS|10|60..",
            "SQS_MAX_MESSAGE_BYTES|10|1024..1048576",
            "SWEEP_PROBE_RATE|0|1..10000",
            "CONNECTIONS_TABLE|a b|not a valid DynamoDB name",
            "BROADCASTS_TABLE|x|not a valid DynamoDB name",
            "MANAGEMENT_ENDPOINT|ftp://host/x|not an http(s) URL",
            "DYNAMODB_ENDPOINT|::nope|not a URL",
            "SHARD_QUEUE_URLS|http://a/1,,http://a/2|empty entry",
    })
    void badValuesAreRejectedNamingTheVariable(String name, String value, String hint) {
        var e = assertThrows(FanoutConfig.InvalidConfigurationException.class,
                () -> FanoutConfig.fromEnv(Map.of(name, value)));
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
        assertTrue(e.getMessage().contains(hint), e.getMessage());
    }

    @Test
    void queueUrlsMustMatchTheShardCount() {
        var e = assertThrows(FanoutConfig.InvalidConfigurationException.class,
                () -> FanoutConfig.fromEnv(Map.of("SHARD_COUNT", "3", "SHARD_QUEUE_URLS", "http://a/1,http://a/2")));
        assertTrue(e.getMessage().contains("SHARD_QUEUE_URLS lists 2") && e.getMessage().contains("SHARD_COUNT is 3"), e.getMessage());
    }

    @Test
    void missingEndpointsAreNamedWhenAFunctionNeedsThem() {
        FanoutConfig c = FanoutConfig.defaults();
        assertTrue(assertThrows(FanoutConfig.InvalidConfigurationException.class, c::requireManagementEndpoint)
                .getMessage().startsWith("MANAGEMENT_ENDPOINT is not set"));
        assertTrue(assertThrows(FanoutConfig.InvalidConfigurationException.class, c::requireShardQueueUrls)
                .getMessage().startsWith("SHARD_QUEUE_URLS is not set"));
    }
}
