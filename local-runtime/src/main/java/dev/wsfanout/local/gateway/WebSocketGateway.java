package dev.wsfanout.local.gateway;

import dev.wsfanout.local.lambda.LocalFunction;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A local stand-in for an API Gateway WebSocket API stage: real WebSocket clients connect to
 * {@link #webSocketUri()}, the route functions ($connect, $disconnect, message routes) are invoked
 * with the events API Gateway sends, and the {@code @connections} management API is served at
 * {@link #managementEndpoint()} for the AWS SDK's ApiGatewayManagementApiClient. Both listen on
 * 127.0.0.1 only.
 *
 * <pre>{@code
 * try (WebSocketGateway gateway = WebSocketGateway.builder().connectRoute(connect).build().start()) {
 *     ApiGatewayManagementApiClient api = ApiGatewayManagementApiClient.builder()
 *             .endpointOverride(gateway.managementEndpoint()) ...
 * }
 * }</pre>
 */
public final class WebSocketGateway implements AutoCloseable {

    /** API Gateway's default account throttle for the management API. */
    public static final double AWS_RATE_PER_SECOND = 10_000;
    public static final int AWS_BURST = 5_000;
    /** API Gateway's new connections per second per account per Region (adjustable quota L-9ED1E49A). */
    public static final double AWS_NEW_CONNECTIONS_PER_SECOND = 500;
    /**
     * The burst of that rate. AWS documents none; one second's worth is assumed, so a client that
     * opens 500 sockets at once is served and a sustained rate above 500/s is refused.
     */
    public static final int AWS_NEW_CONNECTIONS_BURST = 500;
    /**
     * Default bound on what the gateway holds for one client that does not read, beyond the
     * socket's kernel buffers: 256 KiB, two of the largest (128 KB) messages. AWS documents no
     * size for the "client side buffer"; see {@link Builder#clientBufferBytes}.
     */
    public static final int DEFAULT_CLIENT_BUFFER_BYTES = 256 * 1024;
    /**
     * SO_SNDBUF of client sockets when their buffer is bounded (Linux doubles what is asked, so
     * 128 KiB in the kernel). Without it Linux autotunes the send buffer up to tcp_wmem's maximum
     * (4 MiB here), and a client that stopped reading would absorb about 3.7 MB before the first 429.
     */
    static final int KERNEL_SEND_BUFFER_BYTES = 64 * 1024;

    /**
     * Threads that run route functions. Each blocks while its function runs, so this bounds how
     * many $connect calls are in progress at once; further upgrades wait their turn.
     */
    private static final int ROUTE_THREADS = 64;
    /** $disconnect threads: as many as the stack's $disconnect function may run at once. */
    private static final int DISCONNECT_THREADS = 64;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int ACCEPT_BACKLOG = 8192;
    private static final int LINUX_EADDRINUSE = 98;
    private static final String VIRTUAL_USER_AGENT = "wsfanout-virtual-client";

    private final ApiStage api;
    private final RouteTable routeTable;
    private final ThrottleBucket rateLimit;
    private final ThrottleBucket connectRate;
    private final int clientBufferBytes;
    private final FaultInjection faults;
    private final VirtualDeliveryListener virtualDeliveries;
    private final ConnectionTimeouts timeouts;
    private final int requestedWebSocketPort;
    private final int requestedManagementPort;
    private final AllowedOrigins allowedOrigins;
    private final LiveCounters counters = new LiveCounters();
    private final IdSource ids = new IdSource();
    private final ServerTransport transport = ServerTransport.best();
    /** Shared by all virtual connections: 600,000 of them should not carry 600,000 copies. */
    private final Map<String, List<String>> virtualHeaders;

    private final DisconnectDrops disconnectDrops;
    private ExecutorService routeThreads;
    private ScheduledExecutorService disconnectThreads;
    private RouteInvoker routes;
    private OpenConnections openConnections;
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private Channel webSocketServer;
    private Channel managementServer;

    private WebSocketGateway(Builder builder) {
        this.api = new ApiStage(builder.apiId, builder.stage, builder.apiId + ".execute-api.localhost");
        this.routeTable = new RouteTable(builder.authorizer, builder.connect, builder.disconnect, builder.defaultRoute, builder.routes);
        this.rateLimit = builder.rateLimit;
        this.connectRate = builder.connectRate;
        this.clientBufferBytes = builder.clientBufferBytes;
        this.faults = builder.faults;
        this.virtualDeliveries = builder.virtualDeliveries;
        this.disconnectDrops = builder.disconnectDrops;
        this.timeouts = new ConnectionTimeouts(builder.idleTimeout, builder.maxDuration);
        this.requestedWebSocketPort = builder.webSocketPort;
        this.requestedManagementPort = builder.managementPort;
        this.allowedOrigins = builder.allowedOrigins;
        this.virtualHeaders = Map.of("Host", List.of(api.domainName()), "User-Agent", List.of(VIRTUAL_USER_AGENT));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts both listeners.
     *
     * @throws IllegalStateException when a requested port is in use ("port 8080 is in use"), or when already started
     */
    public synchronized WebSocketGateway start() {
        if (workers != null) {
            throw new IllegalStateException("gateway already started");
        }
        AtomicInteger threadNumber = new AtomicInteger();
        routeThreads = Executors.newFixedThreadPool(ROUTE_THREADS, task -> {
            Thread thread = new Thread(task, "gateway-route-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger disconnectThread = new AtomicInteger();
        disconnectThreads = Executors.newScheduledThreadPool(DISCONNECT_THREADS, task -> {
            Thread thread = new Thread(task, "gateway-disconnect-" + disconnectThread.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        routes = new RouteInvoker(routeTable, new RouteEvents(api, ids), counters, routeThreads, disconnectThreads, disconnectDrops);
        openConnections = new OpenConnections(routes, counters);
        acceptors = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), transport.ioHandlers());
        try {
            boolean boundedBuffers = clientBufferBytes > 0;
            // A fixed kernel send buffer for bounded clients: Linux would otherwise grow it to 4 MB
            // per socket, and a client that does not read would be "behind" by that much.
            webSocketServer = listen(requestedWebSocketPort, "the WebSocket listener", boundedBuffers ? KERNEL_SEND_BUFFER_BYTES : 0,
                    new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    if (boundedBuffers) {
                        channel.config().setWriteBufferWaterMark(
                                new WriteBufferWaterMark(clientBufferBytes / 2, clientBufferBytes));
                    }
                    channel.pipeline().addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(8192),
                            new UpgradeRequestHandler(api, routes, openConnections, counters, ids, timeouts, connectRate, boundedBuffers,
                                    allowedOrigins));
                }
            });
            ManagementApiHandler management = new ManagementApiHandler(api, openConnections, counters, ids, rateLimit, faults);
            managementServer = listen(requestedManagementPort, "the management API", 0, new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new HttpServerCodec(), new ManagementRequestAggregator(), management);
                }
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Where WebSocket clients connect: {@code ws://127.0.0.1:PORT/STAGE}. */
    public URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port(webSocketServer) + api.pathPrefix());
    }

    /** The management API endpoint for the SDK's {@code endpointOverride}: {@code http://127.0.0.1:PORT/STAGE}. */
    public URI managementEndpoint() {
        return URI.create("http://127.0.0.1:" + port(managementServer) + api.pathPrefix());
    }

    /**
     * Creates {@code count} connections without sockets. Each goes through $connect like a real
     * one; the ids of those it accepted are returned. Posts to them answer 200 and are counted in
     * {@link GatewayCounters#virtualMessagesDelivered()} (and reported to the
     * {@link Builder#virtualDeliveries virtual delivery listener}); DELETE and injected drops end them (and
     * $disconnect follows). They have no idle timeout or maximum duration.
     */
    public List<String> registerVirtualConnections(int count) {
        requireStarted();
        if (count < 0) {
            throw new IllegalArgumentException("registerVirtualConnections: count must be >= 0, was " + count);
        }
        int window = ROUTE_THREADS * 2;
        Semaphore inFlight = new Semaphore(window);
        Queue<String> accepted = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquireUninterruptibly();
            ConnectionInfo info = virtualConnectionInfo();
            routes.connect(info).whenComplete((status, error) -> {
                try {
                    if (error == null && status >= 200 && status <= 299) {
                        counters.connectsAccepted.increment();
                        openConnections.add(new VirtualConnection(info, counters, openConnections, virtualDeliveries));
                        accepted.add(info.connectionId());
                    } else {
                        counters.connectsRejected.increment();
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquireUninterruptibly(window);
        return List.copyOf(accepted);
    }

    /** The ids of the connections open now, with a socket or virtual: what a census compares the registry with. */
    public Set<String> openConnectionIds() {
        requireStarted();
        Set<String> ids = new HashSet<>();
        for (GatewayConnection connection : openConnections.all()) {
            ids.add(connection.id());
        }
        return ids;
    }

    /** The Netty transport in use: {@code epoll} or {@code nio}. */
    public String transport() {
        return transport.name();
    }

    public GatewayCounters counters() {
        return counters.snapshot();
    }

    /**
     * Stops listening and closes every socket; the $disconnect invocations that follow get up to
     * 10 seconds to finish before the route threads are released. Virtual connections just vanish.
     */
    @Override
    public synchronized void close() {
        if (webSocketServer != null) {
            webSocketServer.close().syncUninterruptibly();
        }
        if (managementServer != null) {
            managementServer.close().syncUninterruptibly();
        }
        if (workers != null) {
            acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ExecutorService threads : new ExecutorService[] {routeThreads, disconnectThreads}) {
            if (threads != null) {
                threads.shutdown();
                try {
                    threads.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** @param sendBufferBytes SO_SNDBUF of accepted sockets; 0 leaves it to the kernel */
    private Channel listen(int port, String what, int sendBufferBytes, ChannelHandler childHandler) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(childHandler);
        if (sendBufferBytes > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, sendBufferBytes);
        }
        ChannelFuture bound = bootstrap
                .bind(new InetSocketAddress(LOOPBACK, port))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            if (isAddressInUse(bound.cause())) {
                throw new IllegalStateException("port " + port + " is in use (" + what + " could not listen on 127.0.0.1:" + port + ")");
            }
            throw new IllegalStateException(what + " could not listen on 127.0.0.1:" + port + ": " + bound.cause(), bound.cause());
        }
        return bound.channel();
    }

    /** NIO reports a taken port as a BindException; epoll (Linux only) as a native error EADDRINUSE. */
    private static boolean isAddressInUse(Throwable bindFailure) {
        return bindFailure instanceof BindException
                || bindFailure instanceof Errors.NativeIoException nativeError && nativeError.expectedErr() == -LINUX_EADDRINUSE;
    }

    private ConnectionInfo virtualConnectionInfo() {
        return new ConnectionInfo(ids.next(), System.currentTimeMillis(), LOOPBACK.getHostAddress(),
                VIRTUAL_USER_AGENT, virtualHeaders, Map.of());
    }

    private void requireStarted() {
        if (workers == null) {
            throw new IllegalStateException("gateway not started: call start() first");
        }
    }

    private static int port(Channel server) {
        if (server == null) {
            throw new IllegalStateException("gateway not started: call start() first");
        }
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Settings of a gateway; everything is optional. */
    public static final class Builder {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

        private String stage = "local";
        private String apiId = "wsfanout01";
        private RequestAuthorizer authorizer;
        private LocalFunction connect;
        private LocalFunction disconnect;
        private LocalFunction defaultRoute;
        private final Map<String, LocalFunction> routes = new HashMap<>();
        private ThrottleBucket rateLimit = ThrottleBucket.unlimited();
        private ThrottleBucket connectRate = ThrottleBucket.unlimited();
        private int clientBufferBytes = DEFAULT_CLIENT_BUFFER_BYTES;
        private FaultInjection faults = FaultInjection.none();
        private VirtualDeliveryListener virtualDeliveries = VirtualDeliveryListener.NONE;
        private DisconnectDrops disconnectDrops = DisconnectDrops.NONE;
        private Duration idleTimeout = ConnectionTimeouts.AWS.idle();
        private Duration maxDuration = ConnectionTimeouts.AWS.maxDuration();
        private int webSocketPort;
        private int managementPort;

        private Builder() {
        }

        /** The stage name, the first path segment of both endpoints; default {@code local}. */
        public Builder stage(String stage) {
            this.stage = requireName("stage", stage);
            return this;
        }

        /** The {@code requestContext.apiId} of the events; default {@code wsfanout01}. */
        public Builder apiId(String apiId) {
            this.apiId = requireName("apiId", apiId);
            return this;
        }

        /**
         * A Lambda REQUEST authorizer on $connect, run before the $connect route as API Gateway runs
         * it (see {@link RequestAuthorizer}); its context reaches every route of the connection as
         * {@code requestContext.authorizer}. Virtual connections carry no credentials, so a gateway
         * with an authorizer refuses them.
         *
         * @param identitySources each {@code route.request.querystring.NAME} or {@code route.request.header.NAME};
         *                        an upgrade without one of them is refused 401 before the function runs
         */
        public Builder connectAuthorizer(LocalFunction function, String... identitySources) {
            this.authorizer = new RequestAuthorizer(function, List.of(identitySources));
            return this;
        }

        public Builder connectRoute(LocalFunction function) {
            this.connect = Objects.requireNonNull(function, "connectRoute");
            return this;
        }

        public Builder disconnectRoute(LocalFunction function) {
            this.disconnect = Objects.requireNonNull(function, "disconnectRoute");
            return this;
        }

        public Builder defaultRoute(LocalFunction function) {
            this.defaultRoute = Objects.requireNonNull(function, "defaultRoute");
            return this;
        }

        /** A message route: messages whose JSON body has {@code "action": routeKey} go to {@code function}. */
        public Builder route(String routeKey, LocalFunction function) {
            if (routeKey == null || routeKey.isBlank() || routeKey.startsWith("$")) {
                throw new IllegalArgumentException("route key must be non-blank and not start with '$' "
                        + "(use connectRoute/disconnectRoute/defaultRoute), was " + routeKey);
            }
            if (routes.putIfAbsent(routeKey, Objects.requireNonNull(function, "route " + routeKey)) != null) {
                throw new IllegalArgumentException("route " + routeKey + " is configured twice");
            }
            return this;
        }

        /**
         * The account throttle on management calls: {@code perSecond} steady, {@code burst} at once;
         * beyond it calls get 429 LimitExceededException. Default: no limit. API Gateway's own
         * defaults are {@link #AWS_RATE_PER_SECOND} and {@link #AWS_BURST}.
         */
        public Builder rateLimit(double perSecond, int burst) {
            return rateLimit(perSecond, burst, System::nanoTime);
        }

        /** As {@link #rateLimit(double, int)}, refilled by {@code nanoClock}: a test's clock, advanced by hand. */
        Builder rateLimit(double perSecond, int burst, LongSupplier nanoClock) {
            this.rateLimit = new ThrottleBucket(perSecond, burst, nanoClock);
            return this;
        }

        /**
         * The account's rate of new connections: {@code perSecond} steady, {@code burst} at once;
         * an upgrade beyond it is refused with 429 {@code {"message":"Too Many Requests"}} before
         * $connect runs. Default: no limit. API Gateway's quota is {@link #AWS_NEW_CONNECTIONS_PER_SECOND}
         * (burst assumed {@link #AWS_NEW_CONNECTIONS_BURST}); the local stack applies it.
         * {@code perSecond} 0 means no limit.
         */
        public Builder connectRateLimit(double perSecond, int burst) {
            return connectRateLimit(perSecond, burst, System::nanoTime);
        }

        /** As {@link #connectRateLimit(double, int)}, refilled by {@code nanoClock}. */
        Builder connectRateLimit(double perSecond, int burst, LongSupplier nanoClock) {
            this.connectRate = perSecond == 0 ? ThrottleBucket.unlimited() : new ThrottleBucket(perSecond, burst, nanoClock);
            return this;
        }

        /** No limit on new connections (the default of this builder). */
        public Builder unlimitedConnectRate() {
            this.connectRate = ThrottleBucket.unlimited();
            return this;
        }

        private AllowedOrigins allowedOrigins = AllowedOrigins.any();

        /**
         * The web pages that may connect: an upgrade whose {@code Origin} header is present and not
         * one of {@code origins} ({@code scheme://host[:port]}, as browsers send it, e.g.
         * {@code http://127.0.0.1:8084}) is refused with 403 {@code {"message": "Forbidden: Origin ..."}}
         * before $connect runs, and counted in {@link GatewayCounters#connectsRejected()}. An upgrade
         * without Origin (clients other than browsers) is still accepted. An empty list refuses every
         * browser. Default: no restriction (not an API Gateway feature; AWS has none).
         *
         * @throws IllegalArgumentException for an entry that is not an origin (a path, a trailing slash)
         */
        public Builder allowedOrigins(java.util.Collection<String> origins) {
            this.allowedOrigins = AllowedOrigins.of(origins);
            return this;
        }

        /**
         * How many bytes of posted messages the gateway holds for a client that is not reading,
         * beyond the socket's kernel buffers (Netty's write buffer high water mark); a post whose
         * message does not fit in what is left is answered 429 LimitExceededException ("the
         * WebSocket client side buffer is full") and not queued. Default
         * {@link #DEFAULT_CLIENT_BUFFER_BYTES}; 0 queues without bound (not as AWS).
         */
        public Builder clientBufferBytes(int bytes) {
            if (bytes < 0 || (bytes > 0 && bytes < ManagementApiHandler.MAX_POST_BYTES)) {
                throw new IllegalArgumentException("clientBufferBytes must be 0 (unbounded) or at least "
                        + ManagementApiHandler.MAX_POST_BYTES + " (the largest message), was " + bytes);
            }
            this.clientBufferBytes = bytes;
            return this;
        }

        public Builder faults(FaultInjection faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** Told of every message delivered to a virtual connection; default: nobody. */
        public Builder virtualDeliveries(VirtualDeliveryListener listener) {
            this.virtualDeliveries = Objects.requireNonNull(listener, "virtualDeliveries");
            return this;
        }

        /**
         * Never delivers $disconnect for this fraction of ended connections, as API Gateway (whose
         * $disconnect is best-effort) may not: the rows they leave are the sweeper's to find.
         */
        public Builder droppedDisconnects(double fraction, long seed) {
            this.disconnectDrops = new DisconnectDrops(fraction, seed);
            return this;
        }

        /** How long a connection may go without a message from its client; default 10 minutes. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** How long any connection may last; default 2 hours. */
        public Builder maxDuration(Duration maxDuration) {
            this.maxDuration = maxDuration;
            return this;
        }

        /** The WebSocket port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder webSocketPort(int port) {
            this.webSocketPort = requirePort("webSocketPort", port);
            return this;
        }

        /** The management API port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder managementPort(int port) {
            this.managementPort = requirePort("managementPort", port);
            return this;
        }

        public WebSocketGateway build() {
            return new WebSocketGateway(this);
        }

        private static String requireName(String what, String value) {
            if (value == null || !NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(what + " must be 1-128 letters, digits, '-' or '_', was " + value);
            }
            return value;
        }

        private static int requirePort(String what, int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(what + " must be 0..65535, was " + port);
            }
            return port;
        }
    }
}
