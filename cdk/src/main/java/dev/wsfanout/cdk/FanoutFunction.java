package dev.wsfanout.cdk;

/**
 * The seven Lambda functions of the handlers jar, with the context-key prefix of their knobs
 * ({@code connectMemoryMb}, {@code postMessageTimeoutSeconds}, ...) and their default sizes.
 */
public enum FanoutFunction {
    CONNECT("connect", "ConnectHandler", new FunctionSettings(512, 10)),
    DISCONNECT("disconnect", "DisconnectHandler", new FunctionSettings(512, 10)),
    DEFAULT_ROUTE("defaultRoute", "DefaultRouteHandler", new FunctionSettings(512, 10)),
    // Lambda's longest: at sweepProbeRate 1,000/s a 600,000-row registry takes about 10 minutes of
    // GetConnection calls; SweeperHandler stops probing 60 s before the deadline to settle and repair.
    SWEEPER("sweeper", "SweeperHandler", new FunctionSettings(1024, 900)),
    QUERY("query", "QueryHandler", new FunctionSettings(1024, 60)),
    // 20 s as in the local stack; the shard queues' visibility timeout is six times this.
    POST_MESSAGE("postMessage", "PostMessageHandler", new FunctionSettings(1024, 20)),
    // The state machine's ReadTally (every poll) and Recount; a recount reads a broadcast's whole ledger.
    AUDIT("audit", "AuditHandler", new FunctionSettings(1024, 60));

    private static final String HANDLER_PACKAGE = "dev.wsfanout.handlers.";

    private final String key;
    private final String handlerClass;
    private final FunctionSettings defaults;

    FanoutFunction(String key, String handlerClass, FunctionSettings defaults) {
        this.key = key;
        this.handlerClass = handlerClass;
        this.defaults = defaults;
    }

    /** The camelCase name used in context keys and construct ids. */
    public String key() {
        return key;
    }

    /** The Lambda handler string (the class implements RequestHandler or RequestStreamHandler). */
    public String handler() {
        return HANDLER_PACKAGE + handlerClass;
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
