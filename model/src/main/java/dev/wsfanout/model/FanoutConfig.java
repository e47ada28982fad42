package dev.wsfanout.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * wsfanout's configuration, built once from an environment map (a Lambda's {@code System.getenv()},
 * the local stack's settings, or a test's map). Every value has a default except the endpoints a
 * particular function needs; {@link #fromEnv} rejects a bad value with a message that names the
 * variable and its allowed range, so a misconfigured deployment fails at its first cold start
 * rather than halfway through a broadcast.
 */
public record FanoutConfig(
        int partitionCount,
        int shardCount,
        int chunkSize,
        String connectionsTable,
        String partitionIndex,
        String partitionsTable,
        String broadcastsTable,
        String deliveriesTable,
        List<String> shardQueueUrls,
        Optional<URI> managementEndpoint,
        Optional<URI> dynamoDbEndpoint,
        Optional<URI> sqsEndpoint,
        int postRate,
        int postConcurrency,
        int maxDeliveryAttempts,
        long connectionTtlSeconds,
        int sqsMaxMessageBytes,
        int sweepProbeRate,
        String historyTable,
        int historyMaxCount,
        long historyMaxAgeSeconds) {

    public static final String PARTITION_COUNT = "PARTITION_COUNT";
    public static final String SHARD_COUNT = "SHARD_COUNT";
    public static final String CHUNK_SIZE = "CHUNK_SIZE";
    public static final String CONNECTIONS_TABLE = "CONNECTIONS_TABLE";
    public static final String PARTITION_INDEX = "PARTITION_INDEX";
    public static final String PARTITIONS_TABLE = "PARTITIONS_TABLE";
    public static final String BROADCASTS_TABLE = "BROADCASTS_TABLE";
    public static final String DELIVERIES_TABLE = "DELIVERIES_TABLE";
    public static final String SHARD_QUEUE_URLS = "SHARD_QUEUE_URLS";
    public static final String MANAGEMENT_ENDPOINT = "MANAGEMENT_ENDPOINT";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String SQS_ENDPOINT = "SQS_ENDPOINT";
    public static final String POST_RATE = "POST_RATE";
    public static final String POST_CONCURRENCY = "POST_CONCURRENCY";
    public static final String MAX_DELIVERY_ATTEMPTS = "MAX_DELIVERY_ATTEMPTS";
    public static final String CONNECTION_TTL_SECONDS = "CONNECTION_TTL_SECONDS";
    public static final String SQS_MAX_MESSAGE_BYTES = "SQS_MAX_MESSAGE_BYTES";
    public static final String SWEEP_PROBE_RATE = "SWEEP_PROBE_RATE";
    public static final String HISTORY_TABLE = "HISTORY_TABLE";
    /** How many of the newest broadcasts a resume replays at most (docs/resume.md). */
    public static final String HISTORY_MAX_COUNT = "HISTORY_MAX_COUNT";
    /** How old (seconds from its start) a broadcast may be and still be replayed. */
    public static final String HISTORY_MAX_AGE_SECONDS = "HISTORY_MAX_AGE_SECONDS";

    /**
     * The Map's result (one small object per ten partitions) must stay under Step Functions'
     * 256 KiB payload limit without an S3 ResultWriter; 2,000 batches of ~70 bytes is ~140 KB.
     */
    public static final int MAX_PARTITION_COUNT = 20_000;

    /**
     * One postMessage invocation's share of the account's @connections quota: 90% of API
     * Gateway's default 10,000 RPS (the rest left for connects and other calls) over the default
     * fleet of 10 shards x 2 concurrent invocations. Change it with the quota or the fleet.
     */
    public static final int DEFAULT_POST_RATE = 450;

    /**
     * GetConnection calls per second a sweep may make: a tenth of the account's 10,000 RPS API
     * rate, which a broadcast running at the same time shares; 600,000 rows take 10 minutes.
     */
    public static final int DEFAULT_SWEEP_PROBE_RATE = 1_000;

    /** API Gateway closes a connection after 2 h; 5 more minutes covers a late $disconnect. */
    public static final long DEFAULT_CONNECTION_TTL_SECONDS = 2 * 3600 + 5 * 60;

    public FanoutConfig {
        shardQueueUrls = List.copyOf(shardQueueUrls);
        if (!shardQueueUrls.isEmpty() && shardQueueUrls.size() != shardCount) {
            throw new InvalidConfigurationException(SHARD_QUEUE_URLS + " lists " + shardQueueUrls.size()
                    + " queue URLs but " + SHARD_COUNT + " is " + shardCount + "; give exactly one URL per shard");
        }
    }

    /** The defaults, as if the environment were empty. */
    public static FanoutConfig defaults() {
        return fromEnv(Map.of());
    }

    public static FanoutConfig fromEnv(Map<String, String> env) {
        EnvReader r = new EnvReader(env);
        int shardCount = r.integer(SHARD_COUNT, 10, 1, 100);
        return new FanoutConfig(
                r.integer(PARTITION_COUNT, 2500, 1, MAX_PARTITION_COUNT),
                shardCount,
                r.integer(CHUNK_SIZE, 100, 1, 1000),
                r.name(CONNECTIONS_TABLE, "wsfanout-connections"),
                r.name(PARTITION_INDEX, "byPartition"),
                r.name(PARTITIONS_TABLE, "wsfanout-partitions"),
                r.name(BROADCASTS_TABLE, "wsfanout-broadcasts"),
                r.name(DELIVERIES_TABLE, "wsfanout-deliveries"),
                r.urlList(SHARD_QUEUE_URLS),
                r.uri(MANAGEMENT_ENDPOINT),
                r.uri(DYNAMODB_ENDPOINT),
                r.uri(SQS_ENDPOINT),
                r.integer(POST_RATE, DEFAULT_POST_RATE, 1, 100_000),
                r.integer(POST_CONCURRENCY, 100, 1, 2000),
                r.integer(MAX_DELIVERY_ATTEMPTS, 4, 1, 20),
                r.integer(CONNECTION_TTL_SECONDS, (int) DEFAULT_CONNECTION_TTL_SECONDS, 60, 7 * 24 * 3600),
                r.integer(SQS_MAX_MESSAGE_BYTES, 262_144, 1024, 1_048_576),
                r.integer(SWEEP_PROBE_RATE, DEFAULT_SWEEP_PROBE_RATE, 1, 10_000),
                r.name(HISTORY_TABLE, "wsfanout-history"),
                r.integer(HISTORY_MAX_COUNT, StreamHistory.DEFAULT_MAX_COUNT, 1, 1_000),
                // at most the records' retention: a replay needs the broadcast record's message
                r.integer(HISTORY_MAX_AGE_SECONDS, (int) StreamHistory.DEFAULT_MAX_AGE.toSeconds(), 1,
                        (int) Retention.RECORDS.toSeconds()));
    }

    /** The environment that reproduces this configuration: what the local stack and CDK hand to functions. */
    public Map<String, String> toEnv() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put(PARTITION_COUNT, Integer.toString(partitionCount));
        env.put(SHARD_COUNT, Integer.toString(shardCount));
        env.put(CHUNK_SIZE, Integer.toString(chunkSize));
        env.put(CONNECTIONS_TABLE, connectionsTable);
        env.put(PARTITION_INDEX, partitionIndex);
        env.put(PARTITIONS_TABLE, partitionsTable);
        env.put(BROADCASTS_TABLE, broadcastsTable);
        env.put(DELIVERIES_TABLE, deliveriesTable);
        if (!shardQueueUrls.isEmpty()) {
            env.put(SHARD_QUEUE_URLS, String.join(",", shardQueueUrls));
        }
        managementEndpoint.ifPresent(u -> env.put(MANAGEMENT_ENDPOINT, u.toString()));
        dynamoDbEndpoint.ifPresent(u -> env.put(DYNAMODB_ENDPOINT, u.toString()));
        sqsEndpoint.ifPresent(u -> env.put(SQS_ENDPOINT, u.toString()));
        env.put(POST_RATE, Integer.toString(postRate));
        env.put(POST_CONCURRENCY, Integer.toString(postConcurrency));
        env.put(MAX_DELIVERY_ATTEMPTS, Integer.toString(maxDeliveryAttempts));
        env.put(CONNECTION_TTL_SECONDS, Long.toString(connectionTtlSeconds));
        env.put(SQS_MAX_MESSAGE_BYTES, Integer.toString(sqsMaxMessageBytes));
        env.put(SWEEP_PROBE_RATE, Integer.toString(sweepProbeRate));
        env.put(HISTORY_TABLE, historyTable);
        env.put(HISTORY_MAX_COUNT, Integer.toString(historyMaxCount));
        env.put(HISTORY_MAX_AGE_SECONDS, Long.toString(historyMaxAgeSeconds));
        return env;
    }

    /** The management endpoint, or a clear error for a function that cannot work without it. */
    public URI requireManagementEndpoint() {
        return managementEndpoint.orElseThrow(() -> new InvalidConfigurationException(MANAGEMENT_ENDPOINT
                + " is not set; postMessage needs the API's @connections endpoint, e.g. https://{apiId}.execute-api.{region}.amazonaws.com/{stage}"));
    }

    /** The shard queue URLs, or a clear error for a function that cannot work without them. */
    public List<String> requireShardQueueUrls() {
        if (shardQueueUrls.isEmpty()) {
            throw new InvalidConfigurationException(SHARD_QUEUE_URLS + " is not set; the query function needs "
                    + shardCount + " comma-separated SQS queue URLs, one per shard");
        }
        return shardQueueUrls;
    }

    /** Thrown for a configuration value outside its allowed range; the message names the variable. */
    public static final class InvalidConfigurationException extends IllegalArgumentException {
        public InvalidConfigurationException(String message) {
            super(message);
        }
    }

    private record EnvReader(Map<String, String> env) {

        Optional<String> raw(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> v = raw(name);
            if (v.isEmpty()) {
                return fallback;
            }
            int value;
            try {
                value = Integer.parseInt(v.get());
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(name + "=" + v.get() + " is not a whole number; allowed: "
                        + min + ".." + max + " (default " + fallback + ")");
            }
            if (value < min || value > max) {
                throw new InvalidConfigurationException(name + "=" + value + " is out of range; allowed: "
                        + min + ".." + max + " (default " + fallback + ")");
            }
            return value;
        }

        String name(String name, String fallback) {
            String value = raw(name).orElse(fallback);
            if (!value.matches("[A-Za-z0-9_.-]{3,255}")) {
                throw new InvalidConfigurationException(name + "=" + value
                        + " is not a valid DynamoDB name; allowed: 3..255 characters of A-Z a-z 0-9 _ . -");
            }
            return value;
        }

        Optional<URI> uri(String name) {
            return raw(name).map(v -> parseUrl(name, v));
        }

        List<String> urlList(String name) {
            Optional<String> v = raw(name);
            if (v.isEmpty()) {
                return List.of();
            }
            List<String> urls = new ArrayList<>();
            for (String part : Arrays.asList(v.get().split(","))) {
                String url = part.trim();
                if (url.isEmpty()) {
                    throw new InvalidConfigurationException(name + " has an empty entry; give comma-separated URLs");
                }
                parseUrl(name, url);
                urls.add(url);
            }
            return urls;
        }

        private static URI parseUrl(String name, String value) {
            try {
                URI uri = new URI(value);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new InvalidConfigurationException(name + "=" + value + " is not an http(s) URL with a host");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new InvalidConfigurationException(name + "=" + value + " is not a URL: " + e.getReason());
            }
        }
    }
}
