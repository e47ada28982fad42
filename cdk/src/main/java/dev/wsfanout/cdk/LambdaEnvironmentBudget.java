package dev.wsfanout.cdk;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.FanoutConfig;
import software.amazon.awscdk.Token;

/**
 * Lambda allows 4 KB for all of a function's environment variables together (Lambda quotas,
 * docs/aws-limits.md); CreateFunction fails beyond it, so CloudFormation would roll the whole stack
 * back minutes into a deploy. postMessage's environment holds SHARD_QUEUE_URLS, one queue URL per
 * shard, so this, not CloudFormation's 500 resources, is what bounds {@code shardCount}; the home
 * Region's cellBroadcast function's environment holds CELLS, every cell's JSON, which bounds the cells.
 *
 * <p>At synth the table names, queue URLs and the endpoint are CloudFormation tokens, so their
 * deployed lengths are estimated for the worst case: the longest Region name (14 characters, e.g.
 * ap-southeast-5), the longest DNS suffix ({@code amazonaws.com.cn}), a 12-digit account,
 * CloudFormation's generated table names ({@code <stack>-<logical id>-<13 random>}). Keys and values
 * are counted as UTF-8 bytes (how Lambda counts the 4 KB is not documented further).
 */
final class LambdaEnvironmentBudget {

    /** Lambda quotas: "Function environment variables: 4 KB, for all environment variables associated with the function, in aggregate". */
    static final int LIMIT_BYTES = 4_096;

    private static final int REGION = 14;
    private static final String DNS_SUFFIX = "amazonaws.com.cn";
    private static final int ACCOUNT = 12;
    private static final int API_ID = 10;
    /** A table's logical id (e.g. TablesConnections8D0B5BCF) with room to spare, and CloudFormation's random suffix. */
    private static final int TABLE_LOGICAL_ID = 32;
    private static final int GENERATED_SUFFIX = 13;
    /** Any other token: as long as a resource name gets. */
    private static final int OTHER_TOKEN = 256;

    private LambdaEnvironmentBudget() {
    }

    /** The estimated deployed size of {@code environment}, the worst case for every token in it. */
    static int estimateBytes(Map<String, String> environment, String stackName, String stageName, int shardCount) {
        int bytes = 0;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            bytes += utf8(e.getKey());
            String value = e.getValue();
            if (!Token.isUnresolved(value)) {
                bytes += utf8(value);
            } else if (e.getKey().equals(FanoutConfig.SHARD_QUEUE_URLS)) {
                bytes += queueUrlListBytes(stackName, shardCount);
            } else if (e.getKey().equals(FanoutConfig.MANAGEMENT_ENDPOINT)) {
                // https://{apiId}.execute-api.{region}.{suffix}/{stage}
                bytes += "https://".length() + API_ID + ".execute-api.".length() + REGION + 1 + DNS_SUFFIX.length()
                        + 1 + utf8(stageName);
            } else if (e.getKey().endsWith("_TABLE")) {
                bytes += utf8(stackName) + 1 + TABLE_LOGICAL_ID + 1 + GENERATED_SUFFIX;
            } else {
                bytes += OTHER_TOKEN;
            }
        }
        return bytes;
    }

    /** https://sqs.{region}.{suffix}/{account}/{stack}-shard-{n}, comma-separated (ShardQueues names them). */
    static int queueUrlListBytes(String stackName, int shardCount) {
        int fixed = "https://sqs.".length() + REGION + 1 + DNS_SUFFIX.length() + 1 + ACCOUNT + 1
                + utf8(stackName) + "-shard-".length();
        int bytes = Math.max(0, shardCount - 1);
        for (int shard = 0; shard < shardCount; shard++) {
            bytes += fixed + Integer.toString(shard).length();
        }
        return bytes;
    }

    /** The most shards whose environment fits, all else as in {@code environment}. */
    static int maxShardCount(Map<String, String> environment, String stackName, String stageName) {
        int n = 0;
        while (n < DeployConfig.MAX_SHARD_COUNT
                && estimateBytes(environment, stackName, stageName, n + 1) <= LIMIT_BYTES) {
            n++;
        }
        return n;
    }

    /** Refuses an environment that would not fit, naming the function, the knobs and the limit. */
    static void require(JarHandler function, Map<String, String> environment, String stackName,
                        String stageName, int shardCount) {
        int bytes = estimateBytes(environment, stackName, stageName, shardCount);
        if (bytes > LIMIT_BYTES) {
            String why = "";
            if (environment.containsKey(FanoutConfig.SHARD_QUEUE_URLS)) {
                why = String.format(Locale.ROOT, "; at shardCount=%d SHARD_QUEUE_URLS lists one queue URL per shard: "
                                + "with stackName '%s' shardCount may be at most %d (a shorter stackName allows more)",
                        shardCount, stackName, maxShardCount(environment, stackName, stageName));
            } else if (environment.containsKey(CellDirectory.ENV)) {
                String cells = environment.get(CellDirectory.ENV);
                why = String.format(Locale.ROOT, "; %s lists all %d cells in %,d bytes: deploy fewer cells (-c cells)",
                        CellDirectory.ENV, CellDirectory.fromJson(cells).cells().size(), utf8(cells));
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the %s function's environment would take up to %,d bytes deployed; Lambda allows "
                            + "%,d bytes (4 KB) for all of a function's environment variables (Lambda quotas, "
                            + "docs/aws-limits.md)%s", function.key(), bytes, LIMIT_BYTES, why));
        }
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
