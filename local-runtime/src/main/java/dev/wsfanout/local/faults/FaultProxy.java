package dev.wsfanout.local.faults;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP proxy on 127.0.0.1 between AWS SDK clients (pointed at {@link #endpoint()} with
 * {@code endpointOverride}) and a DynamoDB or SQS stand-in, which forwards every request untouched except
 * those its {@link FaultPlan} picks: those get the throttles, server errors, timeouts and lost responses AWS
 * produces. Requests are AWS JSON 1.0 ({@code X-Amz-Target}); anything else is forwarded and never faulted.
 * Started with {@link DynamoDbLimits}, it also enforces DynamoDB's own limits (per-key throughput, item and
 * batch sizes) on the DynamoDB calls the plan lets through, answering as AWS does ({@link #limitCounters()}).
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(dynalite.endpoint(), FaultPlan.none())) {
 *     DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(proxy.endpoint())...build();
 *     // create tables, then:
 *     proxy.plan(FaultPlan.fromJson("{\"rules\":[{\"service\":\"dynamodb\",\"fault\":\"throttle\",\"probability\":0.05}]}"));
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    /** DynamoDB's BatchWriteItem takes up to 16 MB; anything larger than twice that is not an AWS request. */
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int ACCEPT_BACKLOG = 1024;

    private final EventLoopGroup loops;
    private final Channel listener;
    private final AtomicReference<PlanRun> plan;
    private final FaultCounters counters;
    private final LimitCounters limitCounters;
    /** Null when no limit is on. */
    private final DynamoDbLimiter limiter;
    private final URI endpoint;

    private FaultProxy(EventLoopGroup loops, Channel listener, AtomicReference<PlanRun> plan, FaultCounters counters,
                       LimitCounters limitCounters, DynamoDbLimiter limiter) {
        this.loops = loops;
        this.listener = listener;
        this.plan = plan;
        this.counters = counters;
        this.limitCounters = limitCounters;
        this.limiter = limiter;
        this.endpoint = URI.create("http://" + LOOPBACK.getHostAddress() + ":" + ((InetSocketAddress) listener.localAddress()).getPort());
    }

    /**
     * Listens on a free loopback port and forwards to {@code upstream}.
     *
     * @param upstream {@code http://host:port} of the stand-in
     * @throws IllegalArgumentException when {@code upstream} is not a plain-HTTP address
     */
    public static FaultProxy start(URI upstream, FaultPlan plan) {
        return start(upstream, plan, DynamoDbLimits.off());
    }

    /**
     * Listens on a free loopback port and forwards to {@code upstream}, enforcing {@code limits} on the DynamoDB
     * calls the plan does not fault (docs/fault-proxy.md, "Limits").
     *
     * @param upstream {@code http://host:port} of the stand-in
     * @throws IllegalArgumentException when {@code upstream} is not a plain-HTTP address
     */
    public static FaultProxy start(URI upstream, FaultPlan plan, DynamoDbLimits limits) {
        Objects.requireNonNull(limits, "limits");
        InetSocketAddress upstreamAddress = upstreamAddress(upstream);
        LimitCounters limitCounters = new LimitCounters();
        DynamoDbLimiter limiter = limits.any() ? new DynamoDbLimiter(limits, limitCounters) : null;
        AtomicReference<PlanRun> current = new AtomicReference<>(new PlanRun(Objects.requireNonNull(plan, "plan")));
        FaultCounters counters = new FaultCounters();
        ProxyTransport transport = ProxyTransport.best();
        UpstreamConnector connector = new UpstreamConnector(upstreamAddress, transport);
        // daemon threads: a proxy a test forgets to close must not hold the JVM open
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("fault-proxy", true), transport.ioHandlers());
        ChannelFuture bound = new ServerBootstrap()
                .group(loops)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_BODY_BYTES),
                                new ClientConnection(connector, current::get, counters, limiter));
                    }
                })
                .bind(new InetSocketAddress(LOOPBACK, 0))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("the fault proxy could not listen on " + LOOPBACK.getHostAddress() + ": " + bound.cause(), bound.cause());
        }
        return new FaultProxy(loops, bound.channel(), current, counters, limitCounters, limiter);
    }

    /** {@code http://127.0.0.1:<port>}, the endpoint override for SDK clients. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Puts {@code plan} in force for the requests that arrive from now on; its nth/every counts and its random
     * sequence start afresh. Requests already decided keep their fate.
     */
    public void plan(FaultPlan plan) {
        this.plan.set(new PlanRun(Objects.requireNonNull(plan, "plan")));
    }

    public FaultCounters counters() {
        return counters;
    }

    /** What the DynamoDB limits refused (all zero when none is on). */
    public LimitCounters limitCounters() {
        return limitCounters;
    }

    /** The limiter, for tests in this package; null when no limit is on. */
    DynamoDbLimiter limiter() {
        return limiter;
    }

    /** Stops listening and drops every connection, held ones included. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static InetSocketAddress upstreamAddress(URI upstream) {
        Objects.requireNonNull(upstream, "upstream");
        if (!"http".equals(upstream.getScheme()) || upstream.getHost() == null) {
            throw new IllegalArgumentException("the fault proxy forwards plain HTTP: upstream must be http://host:port, was " + upstream);
        }
        return new InetSocketAddress(upstream.getHost(), upstream.getPort() == -1 ? 80 : upstream.getPort());
    }
}
