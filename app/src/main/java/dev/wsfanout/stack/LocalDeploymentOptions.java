package dev.wsfanout.stack;

import dev.wsfanout.fanout.DeliveryCheckpoints;
import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.local.gateway.FaultInjection;
import dev.wsfanout.local.gateway.VirtualDeliveryListener;
import dev.wsfanout.model.DeploymentDefaults;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;

/**
 * Everything the local stack lets a user or a test choose. The defaults mirror the AWS
 * deployment's ({@link DeploymentDefaults}, docs/contracts.md) where the machine allows, so a local
 * broadcast exercises the same paths: 2,500 partitions, 10 shards, chunks of 100, API Gateway's 10,000 RPS / 5,000 burst.
 *
 * @param env                     extra FanoutConfig variables (PARTITION_COUNT, CHUNK_SIZE, POST_RATE, ...)
 * @param webSocketPort           0 = any free port
 * @param managementPort          0 = any free port
 * @param stepFunctionsPort       0 = any free port
 * @param gatewayRatePerSecond    the account-level @connections rate limit
 * @param gatewayBurst            its burst
 * @param faults                  gateway fault injection (off by default)
 * @param postMessageConcurrency  maximum concurrency of each shard's event-source mapping
 * @param postMessageTimeout      postMessage function timeout (the shard visibility timeout is
 *                                {@link DeploymentDefaults#VISIBILITY_TIMEOUT_FACTOR} times this, as AWS advises)
 * @param queryConcurrency        concurrent query invocations (reserved concurrency)
 * @param maxReceiveCount         receives before a chunk message goes to its shard's DLQ
 * @param pollInterval            the state machine's completion poll interval
 * @param deliveryDeadline        how long the state machine waits for deliveries before failing
 * @param mapMaxConcurrency       Distributed Map MaxConcurrency
 * @param managementApiDecorator  wraps postMessage's @connections client; tests use it to make an
 *                                invocation die halfway through a chunk, as a crashed Lambda would
 * @param queryHandlerDecorator   wraps the query handler; tests use it to make invocations fail
 * @param faultProxy              put the fault proxy in front of dynalite and ElasticMQ, so faults can be
 *                                injected into every DynamoDB and SQS call of the handlers and the state
 *                                machine (off by default: the extra hop costs a benchmark about 8%;
 *                                see docs/fault-proxy.md)
 * @param awsFaults               the faults it injects from the start (none by default; a plan turns the proxy on)
 * @param deliveryCheckpoints     told of each step of every chunk's settlement in postMessage; the
 *                                fault harness kills invocations there (nothing listens by default)
 * @param virtualDeliveries       told of every message the gateway delivers to a virtual connection, so a
 *                                run can check what each one received (nothing listens by default)
 * @param connectTimeout          the $connect function's timeout (10 s, as deployed); past it the
 *                                gateway refuses the socket with 502
 * @param droppedDisconnects      the fraction of $disconnects the gateway never delivers, as API
 *                                Gateway's best-effort delivery may not (0 by default; seeded)
 * @param dynamoLimits            DynamoDB's limits enforced in front of dynalite: 1,000 WCU/s and 3,000 RCU/s per
 *                                partition key, 400 KB items, 25 writes a batch, throttles and refusals as AWS
 *                                answers them (on by default: the DynamoDB half of the fault proxy runs always;
 *                                off only for a benchmark that says so; see docs/fault-proxy.md, "Limits")
 * @param connectRatePerSecond    API Gateway's new connections per second (500, as AWS; burst 500 assumed):
 *                                upgrades beyond it are refused with 429; 0 = no limit
 *                                ({@link Builder#unlimitedConnectRate}, for a benchmark that says so)
 * @param connectBurst            its burst
 * @param connectTokenSecret      the HMAC key of wsfanout's connect tokens: with it $connect has the REQUEST
 *                                authorizer the deployed stack has ({@link dev.wsfanout.model.ConnectAuth}); null = an
 *                                open $connect (the tests' and benchmarks' default: their virtual connections carry no token)
 * @param allowedOrigins          browser origins the WebSocket accepts (an upgrade with another Origin is refused 403;
 *                                one without an Origin, a non-browser client's, is accepted); empty = any
 * @param lambdaAccountConcurrency the Lambda account concurrency all local functions share (1,000, as AWS):
 *                                synchronous invokes beyond it are throttled (TooManyRequestsException), the
 *                                SQS mappings stop scaling; 0 = no limit ({@link Builder#unlimitedLambdaConcurrency})
 * @param connectionIdleTimeout   the gateway closes a connection that sent nothing for this long (10 minutes, as AWS)
 * @param connectionMaxDuration   and every connection this long after it opened (2 hours, as AWS); both are
 *                                compressed by the reconnect run and the resume tests
 */
public record LocalDeploymentOptions(Map<String, String> env, int webSocketPort, int managementPort, int stepFunctionsPort,
                                double gatewayRatePerSecond, int gatewayBurst, FaultInjection faults,
                                int postMessageConcurrency, Duration postMessageTimeout, int queryConcurrency,
                                int maxReceiveCount, Duration pollInterval, Duration deliveryDeadline,
                                int mapMaxConcurrency,
                                UnaryOperator<ApiGatewayManagementApiAsyncClient> managementApiDecorator,
                                UnaryOperator<RequestStreamHandler> queryHandlerDecorator,
                                boolean faultProxy, FaultPlan awsFaults, DeliveryCheckpoints deliveryCheckpoints,
                                VirtualDeliveryListener virtualDeliveries, Duration connectTimeout,
                                double droppedDisconnects, boolean dynamoLimits,
                                double connectRatePerSecond, int connectBurst, int lambdaAccountConcurrency,
                                String connectTokenSecret, List<String> allowedOrigins,
                                Duration connectionIdleTimeout, Duration connectionMaxDuration) {

    public LocalDeploymentOptions {
        env = Map.copyOf(env);
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static LocalDeploymentOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.env.putAll(env);
        b.webSocketPort = webSocketPort;
        b.managementPort = managementPort;
        b.stepFunctionsPort = stepFunctionsPort;
        b.gatewayRatePerSecond = gatewayRatePerSecond;
        b.gatewayBurst = gatewayBurst;
        b.faults = faults;
        b.postMessageConcurrency = postMessageConcurrency;
        b.postMessageTimeout = postMessageTimeout;
        b.queryConcurrency = queryConcurrency;
        b.maxReceiveCount = maxReceiveCount;
        b.pollInterval = pollInterval;
        b.deliveryDeadline = deliveryDeadline;
        b.mapMaxConcurrency = mapMaxConcurrency;
        b.managementApiDecorator = managementApiDecorator;
        b.queryHandlerDecorator = queryHandlerDecorator;
        b.faultProxy = faultProxy;
        b.awsFaults = awsFaults;
        b.deliveryCheckpoints = deliveryCheckpoints;
        b.virtualDeliveries = virtualDeliveries;
        b.connectTimeout = connectTimeout;
        b.droppedDisconnects = droppedDisconnects;
        b.dynamoLimits = dynamoLimits;
        b.connectRatePerSecond = connectRatePerSecond;
        b.connectBurst = connectBurst;
        b.lambdaAccountConcurrency = lambdaAccountConcurrency;
        b.connectTokenSecret = connectTokenSecret;
        b.allowedOrigins = allowedOrigins;
        b.connectionIdleTimeout = connectionIdleTimeout;
        b.connectionMaxDuration = connectionMaxDuration;
        return b;
    }

    public static final class Builder {
        private final Map<String, String> env = new HashMap<>();
        private int webSocketPort;
        private int managementPort;
        private int stepFunctionsPort;
        private double gatewayRatePerSecond = 10_000;
        private int gatewayBurst = 5_000;
        private FaultInjection faults = FaultInjection.none();
        private int postMessageConcurrency = DeploymentDefaults.POST_MESSAGE_CONCURRENCY;
        private Duration postMessageTimeout = DeploymentDefaults.postMessageTimeout();
        private int queryConcurrency = 10;
        private int maxReceiveCount = DeploymentDefaults.MAX_RECEIVE_COUNT;
        private Duration pollInterval = DeploymentDefaults.pollInterval();
        private Duration deliveryDeadline = DeploymentDefaults.deliveryDeadline();
        private int mapMaxConcurrency = DeploymentDefaults.MAP_MAX_CONCURRENCY;
        private UnaryOperator<ApiGatewayManagementApiAsyncClient> managementApiDecorator = UnaryOperator.identity();
        private UnaryOperator<RequestStreamHandler> queryHandlerDecorator = UnaryOperator.identity();
        private boolean faultProxy;
        private FaultPlan awsFaults = FaultPlan.none();
        private DeliveryCheckpoints deliveryCheckpoints = DeliveryCheckpoints.NONE;
        private VirtualDeliveryListener virtualDeliveries = VirtualDeliveryListener.NONE;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private double droppedDisconnects;
        private boolean dynamoLimits = true;
        private double connectRatePerSecond = 500;
        private int connectBurst = 500;
        private int lambdaAccountConcurrency = 1_000;
        private String connectTokenSecret;
        private List<String> allowedOrigins = List.of();
        private Duration connectionIdleTimeout = Duration.ofMinutes(10);
        private Duration connectionMaxDuration = Duration.ofHours(2);

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder webSocketPort(int port) {
            webSocketPort = port;
            return this;
        }

        public Builder managementPort(int port) {
            managementPort = port;
            return this;
        }

        public Builder stepFunctionsPort(int port) {
            stepFunctionsPort = port;
            return this;
        }

        public Builder gatewayRateLimit(double perSecond, int burst) {
            gatewayRatePerSecond = perSecond;
            gatewayBurst = burst;
            return this;
        }

        public Builder faults(FaultInjection value) {
            faults = value;
            return this;
        }

        public Builder postMessageConcurrency(int value) {
            postMessageConcurrency = value;
            return this;
        }

        public Builder postMessageTimeout(Duration value) {
            postMessageTimeout = value;
            return this;
        }

        public Builder queryConcurrency(int value) {
            queryConcurrency = value;
            return this;
        }

        public Builder maxReceiveCount(int value) {
            maxReceiveCount = value;
            return this;
        }

        public Builder pollInterval(Duration value) {
            pollInterval = value;
            return this;
        }

        public Builder deliveryDeadline(Duration value) {
            deliveryDeadline = value;
            return this;
        }

        public Builder mapMaxConcurrency(int value) {
            mapMaxConcurrency = value;
            return this;
        }

        public Builder managementApiDecorator(UnaryOperator<ApiGatewayManagementApiAsyncClient> value) {
            managementApiDecorator = value;
            return this;
        }

        public Builder queryHandlerDecorator(UnaryOperator<RequestStreamHandler> value) {
            queryHandlerDecorator = value;
            return this;
        }

        public Builder faultProxy(boolean value) {
            faultProxy = value;
            return this;
        }

        public Builder awsFaults(FaultPlan value) {
            awsFaults = value;
            faultProxy |= !value.rules().isEmpty();
            return this;
        }

        public Builder deliveryCheckpoints(DeliveryCheckpoints value) {
            deliveryCheckpoints = value;
            return this;
        }

        public Builder virtualDeliveries(VirtualDeliveryListener value) {
            virtualDeliveries = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder droppedDisconnects(double fraction) {
            droppedDisconnects = fraction;
            return this;
        }

        /** DynamoDB's limits in front of dynalite (on by default; off only for a benchmark that says so). */
        public Builder dynamoLimits(boolean value) {
            dynamoLimits = value;
            return this;
        }

        /** API Gateway's new-connection rate; default 500/s, burst 500. */
        public Builder connectRateLimit(double perSecond, int burst) {
            connectRatePerSecond = perSecond;
            connectBurst = burst;
            return this;
        }

        /** No new-connection rate: not as AWS, for a benchmark that says so. */
        public Builder unlimitedConnectRate() {
            connectRatePerSecond = 0;
            connectBurst = 0;
            return this;
        }

        /** The Lambda account concurrency shared by all local functions; default 1,000. */
        public Builder lambdaAccountConcurrency(int value) {
            lambdaAccountConcurrency = value;
            return this;
        }

        /** No account concurrency limit: not as AWS, for a benchmark that says so. */
        public Builder unlimitedLambdaConcurrency() {
            lambdaAccountConcurrency = 0;
            return this;
        }

        /** $connect authorized by wsfanout's tokens signed with {@code secret} (at least 32 bytes); null = open. */
        public Builder connectTokenSecret(String secret) {
            connectTokenSecret = secret;
            return this;
        }

        /** Browser origins the WebSocket accepts; default: any. */
        public Builder allowedOrigins(List<String> origins) {
            allowedOrigins = origins;
            return this;
        }

        /** API Gateway's idle timeout and maximum connection duration, e.g. compressed for a reconnect run. */
        public Builder connectionTimeouts(Duration idle, Duration maxDuration) {
            connectionIdleTimeout = idle;
            connectionMaxDuration = maxDuration;
            return this;
        }

        public LocalDeploymentOptions build() {
            return new LocalDeploymentOptions(env, webSocketPort, managementPort, stepFunctionsPort, gatewayRatePerSecond,
                    gatewayBurst, faults, postMessageConcurrency, postMessageTimeout, queryConcurrency, maxReceiveCount,
                    pollInterval, deliveryDeadline, mapMaxConcurrency, managementApiDecorator,
                    queryHandlerDecorator, faultProxy, awsFaults, deliveryCheckpoints, virtualDeliveries,
                    connectTimeout, droppedDisconnects, dynamoLimits, connectRatePerSecond, connectBurst,
                    lambdaAccountConcurrency, connectTokenSecret, allowedOrigins, connectionIdleTimeout,
                    connectionMaxDuration);
        }
    }
}
