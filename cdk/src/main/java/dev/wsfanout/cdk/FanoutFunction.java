package dev.wsfanout.cdk;

import java.util.OptionalInt;

import dev.wsfanout.model.DeploymentDefaults;

/**
 * The nine Lambda functions of a cell (one wsfanout stack), with the context-key prefix of their knobs
 * ({@code connectMemoryMb}, {@code postMessageTimeoutSeconds}, ...) and their default sizes.
 *
 * <p>The lifecycle functions (what clients trigger, and the sweeper) have a reserved concurrency by
 * default: it is their guarantee and their cap, so a connection storm or a chatty client cannot take
 * the account's concurrency from query, postMessage and audit, which stay in the unreserved pool.
 * 100 for connect, the authorizer and disconnect: API Gateway accepts at most 500 new connections/s
 * per account and Region, and 100 environments serve 500 invocations/s at up to 200 ms each (a warm
 * connect is three DynamoDB calls, tens of ms). 50 for $default: the stage lets it 500 messages/s
 * ({@link DeployConfig#defaultRouteThrottleRateLimit()}) and the handler only answers. 50 for resume,
 * as for $default, whose keep-alives it takes over: every reconnect and every keep-alive is a resume,
 * so a reconnect storm multiplies exactly this function. 50 environments carry the route's 2,000/s
 * ({@link DeployConfig#resumeRouteThrottleRateLimit()}) while a resume averages 25 ms or less (one
 * that missed nothing is one Query and one post); a storm of long replays is held at 50 at once
 * instead of taking the broadcast path's concurrency, and a client whose resume Lambda throttled asks
 * again with its next keep-alive. 1 for the sweeper: one sweep at a time (two would double the
 * GetConnection rate). 401 in all, leaving 599 of a default account's 1,000; Lambda keeps at least
 * 100 unreserved, so an account below 501 must set them to 0 (= unreserved).
 */
public enum FanoutFunction implements JarHandler {
    CONNECT("connect", "ConnectHandler", new FunctionSettings(512, 10, OptionalInt.of(100))),
    DISCONNECT("disconnect", "DisconnectHandler", new FunctionSettings(512, 10, OptionalInt.of(100))),
    DEFAULT_ROUTE("defaultRoute", "DefaultRouteHandler", new FunctionSettings(512, 10, OptionalInt.of(50))),
    // Route resume (docs/resume.md): a full replay posts up to HISTORY_MAX_COUNT + 2 messages (102 by
    // default, up to 128 KiB each) one after another, reading each broadcast's record first; 30 s
    // leaves room for retried posts. The 512 MB also hold the replayed messages it keeps warm.
    RESUME("resume", "ResumeHandler", new FunctionSettings(512, 30, OptionalInt.of(50))),
    // The $connect REQUEST authorizer (only with -c authorizer=true, the default): checks the token in
    // ?token= against the stack's secret or the OIDC issuer's keys; no table access.
    AUTHORIZER("authorizer", "ConnectAuthorizerHandler", new FunctionSettings(512, 10, OptionalInt.of(100))),
    // Lambda's longest: at sweepProbeRate 1,000/s a 600,000-row registry takes about 10 minutes of
    // GetConnection calls; SweeperHandler stops probing 60 s before the deadline to settle and repair.
    SWEEPER("sweeper", "SweeperHandler", new FunctionSettings(1024, 900, OptionalInt.of(1))),
    QUERY("query", "QueryHandler", new FunctionSettings(1024, 60)),
    // As in the local stack; the shard queues' visibility timeout is DeploymentDefaults.VISIBILITY_TIMEOUT_FACTOR times this.
    POST_MESSAGE("postMessage", "PostMessageHandler",
            new FunctionSettings(1024, DeploymentDefaults.POST_MESSAGE_TIMEOUT_SECONDS)),
    // The state machine's ReadTally (every poll) and Recount; a recount reads a broadcast's whole ledger.
    AUDIT("audit", "AuditHandler", new FunctionSettings(1024, 60));

    private final String key;
    private final String handlerClass;
    private final FunctionSettings defaults;

    FanoutFunction(String key, String handlerClass, FunctionSettings defaults) {
        this.key = key;
        this.handlerClass = handlerClass;
        this.defaults = defaults;
    }

    /** The camelCase name used in context keys and construct ids. */
    @Override
    public String key() {
        return key;
    }

    @Override
    public String handlerClass() {
        return handlerClass;
    }

    public FunctionSettings defaults() {
        return defaults;
    }

    public String memoryKey() {
        return key + "MemoryMb";
    }

    public String timeoutKey() {
        return key + "TimeoutSeconds";
    }

    public String reservedConcurrencyKey() {
        return key + "ReservedConcurrency";
    }
}
