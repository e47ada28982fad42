package dev.wsfanout.aws;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Primes a function's SDK clients before SnapStart takes its snapshot: one real, harmless call
 * per client (a read of a key that does not exist, which the function's role allows), so the
 * snapshot holds the SDK's classes loaded, its marshallers and signer initialised and its first
 * connection's code run, and a restored environment's first invocation does not pay for them.
 * Powertools' idempotency module primes the same way, in {@code beforeCheckpoint}.
 *
 * <p>A primer that fails (no network at snapshot time, a missing table) is logged and skipped:
 * priming is an optimisation, and the function must be published all the same. Outside SnapStart
 * (the local runtime, a JVM without CRaC) the global context never calls it.
 */
public final class SnapStartPriming implements Resource {

    /** The key every primer reads: it names no connection, broadcast or ledger entry. */
    static final String PRIMING_KEY = "snapstart-priming";

    /** CRaC's global context holds its resources weakly; this holds them for the environment's life. */
    private static final List<SnapStartPriming> REGISTERED = new ArrayList<>();

    /** One call that warms one client. */
    public record Primer(String what, Runnable call) {

        /** A GetItem of {@link #PRIMING_KEY} under {@code keyAttributes} (every key attribute a string). */
        public static Primer getItem(DynamoDbClient dynamo, String table, List<String> keyAttributes) {
            return new Primer("GetItem on " + table, () -> dynamo.getItem(r -> r.tableName(table).key(primingKey(keyAttributes))));
        }

        /** The same through the async client (its Netty transport is the part worth warming). */
        public static Primer getItem(DynamoDbAsyncClient dynamo, String table, List<String> keyAttributes) {
            return new Primer("GetItem on " + table,
                    () -> dynamo.getItem(r -> r.tableName(table).key(primingKey(keyAttributes))).join());
        }

        private static Map<String, AttributeValue> primingKey(List<String> keyAttributes) {
            Map<String, AttributeValue> key = new java.util.LinkedHashMap<>();
            keyAttributes.forEach(attribute -> key.put(attribute, AttributeValue.fromS(PRIMING_KEY)));
            return key;
        }
    }

    private final List<Primer> primers;

    public SnapStartPriming(List<Primer> primers) {
        this.primers = List.copyOf(primers);
    }

    /** Registers these primers for the snapshot of this environment. */
    public static void register(List<Primer> primers) {
        SnapStartPriming priming = new SnapStartPriming(primers);
        synchronized (REGISTERED) {
            REGISTERED.add(priming);
        }
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to redo: the SDK's connections are re-established on first use after a restore.
    }

    /** Runs every primer in order, each whatever the ones before it did; returns how many succeeded. */
    public int prime() {
        int primed = 0;
        for (Primer primer : primers) {
            try {
                primer.call().run();
                primed++;
            } catch (RuntimeException e) {
                System.err.println("SnapStart priming: " + primer.what() + " failed, so a restored environment's first call"
                        + " pays for it instead: " + e);
            }
        }
        return primed;
    }
}
