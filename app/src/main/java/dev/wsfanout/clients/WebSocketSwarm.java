package dev.wsfanout.clients;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Many real WebSocket clients on one event loop: what the demo and the benchmarks connect to the
 * gateway. Every client records the wsfanout envelopes it receives (broadcast id and the wall-clock
 * time of receipt), so a run can check that each client got a broadcast exactly once and measure
 * latency from the moment the broadcast was started.
 */
public final class WebSocketSwarm implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private final EventLoopGroup group;
    private final List<Client> clients = new CopyOnWriteArrayList<>();

    /** One connected client and what it received. */
    public static final class Client {
        private final Channel channel;
        private final Map<String, List<Long>> receiptsByBroadcast = new ConcurrentHashMap<>();
        private final Map<String, String> firstTextByBroadcast = new ConcurrentHashMap<>();

        Client(Channel channel) {
            this.channel = channel;
        }

        public boolean isOpen() {
            return channel.isActive();
        }

        /** Epoch milliseconds of every copy of {@code broadcastId} this client received. */
        public List<Long> receipts(String broadcastId) {
            return receiptsByBroadcast.getOrDefault(broadcastId, List.of());
        }

        /** The text of the first copy of {@code broadcastId} this client received, or null. */
        public String firstText(String broadcastId) {
            return firstTextByBroadcast.get(broadcastId);
        }

        public void close() {
            channel.close().syncUninterruptibly();
        }

        void received(String text, long atMillis) {
            String broadcastId = broadcastIdOf(text);
            firstTextByBroadcast.putIfAbsent(broadcastId, text);
            receiptsByBroadcast.computeIfAbsent(broadcastId, k -> Collections.synchronizedList(new ArrayList<>())).add(atMillis);
        }
    }

    private WebSocketSwarm(EventLoopGroup group) {
        this.group = group;
    }

    /**
     * Opens {@code count} clients, at most {@code parallelHandshakes} handshakes at a time.
     *
     * @param progress called with the number connected so far, every 1,000 clients
     * @throws IllegalStateException if some clients could not connect (the message says how many and why)
     */
    public static WebSocketSwarm connect(URI uri, int count, int parallelHandshakes, IntConsumer progress) {
        WebSocketSwarm swarm = new WebSocketSwarm(new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory()));
        try {
            swarm.open(uri, count, parallelHandshakes, progress);
        } catch (RuntimeException e) {
            swarm.close();
            throw e;
        }
        return swarm;
    }

    /** Tries of one handshake the gateway keeps refusing with 429 (about 10 s of backoff in all). */
    private static final int THROTTLED_HANDSHAKE_ATTEMPTS = 10;

    private void open(URI uri, int count, int parallelHandshakes, IntConsumer progress) {
        Semaphore window = new Semaphore(parallelHandshakes);
        AtomicInteger connected = new AtomicInteger();
        List<CompletableFuture<Client>> pending = new ArrayList<>(count);
        List<String> errors = new CopyOnWriteArrayList<>();
        for (int i = 0; i < count; i++) {
            window.acquireUninterruptibly();
            // Wait on the bookkeeping stage, not the raw future: connect() returns only once every
            // client is counted in clients().
            CompletableFuture<Client> client = openRetryingThrottled(uri, 0).whenComplete((c, e) -> {
                window.release();
                if (e != null) {
                    errors.add(e.toString());
                } else {
                    clients.add(c);
                    int n = connected.incrementAndGet();
                    if (n % 1000 == 0) {
                        progress.accept(n);
                    }
                }
            });
            pending.add(client);
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).exceptionally(e -> null).join();
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.size() + " of " + count + " WebSocket clients could not connect to "
                    + uri + "; first error: " + errors.get(0));
        }
    }

    /**
     * API Gateway refuses upgrades beyond its new-connection rate (500/s per account) with 429;
     * a client backs off and tries again, as every reconnecting client of a real API must.
     */
    private CompletableFuture<Client> openRetryingThrottled(URI uri, int attempt) {
        return openOne(uri).handle((client, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(client);
            }
            if (attempt + 1 < THROTTLED_HANDSHAKE_ATTEMPTS && String.valueOf(error.getMessage()).contains("429")) {
                long backoffMillis = Math.min(2_000, 100L << Math.min(attempt, 5))
                        + java.util.concurrent.ThreadLocalRandom.current().nextLong(100);
                CompletableFuture<Client> retried = new CompletableFuture<>();
                group.schedule(() -> openRetryingThrottled(uri, attempt + 1).whenComplete((c, e) -> {
                    if (e == null) {
                        retried.complete(c);
                    } else {
                        retried.completeExceptionally(e);
                    }
                }), backoffMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
                return retried;
            }
            return CompletableFuture.<Client>failedFuture(error);
        }).thenCompose(future -> future);
    }

    private CompletableFuture<Client> openOne(URI uri) {
        CompletableFuture<Client> result = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.SO_RCVBUF, 16 * 1024)
                .option(ChannelOption.SO_SNDBUF, 16 * 1024)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Client client = new Client(ch);
                        ch.pipeline().addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                        uri, WebSocketVersion.V13, null, true, new DefaultHttpHeaders(), MAX_MESSAGE_BYTES)),
                                new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                        client.received(frame.text(), System.currentTimeMillis());
                                    }

                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                            result.complete(client);
                                        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                                            result.completeExceptionally(new IllegalStateException("handshake timed out"));
                                        }
                                        super.userEventTriggered(ctx, evt);
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        result.completeExceptionally(cause);
                                        ctx.close();
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                                        result.completeExceptionally(new IllegalStateException("closed before the handshake completed"));
                                        super.channelInactive(ctx);
                                    }
                                });
                    }
                });
        bootstrap.connect(host(uri), uri.getPort()).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    public List<Client> clients() {
        return List.copyOf(clients);
    }

    public int size() {
        return clients.size();
    }

    /**
     * Waits until every open client has received {@code broadcastId} at least once, or the timeout passes.
     *
     * @return whether all did
     */
    public boolean awaitAll(String broadcastId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (clients.stream().filter(Client::isOpen).allMatch(c -> !c.receipts(broadcastId).isEmpty())) {
                return true;
            }
            sleep(20);
        }
        return false;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String host(URI uri) {
        return uri.getHost();
    }

    private static String broadcastIdOf(String text) {
        try {
            JsonNode envelope = JsonCodec.mapper().readTree(text);
            JsonNode id = envelope == null ? null : envelope.get("broadcastId");
            return id == null ? "" : id.asText();
        } catch (Exception notAnEnvelope) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
