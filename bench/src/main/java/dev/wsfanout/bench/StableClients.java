package dev.wsfanout.bench;

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
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The registry soak's stable clients, as real long-lived clients of an API Gateway WebSocket API
 * behave: each sends a small message every {@code keepAlive} (the first at a random moment within
 * it), because API Gateway closes a connection on which nothing has been received for 10 minutes
 * and wsfanout's channel is otherwise one-way. The message ({@link #KEEP_ALIVE}) has no route of
 * its own, so it goes to {@code $default}, whose handler exists for exactly this. A protocol-level
 * ping would keep the local gateway's connection open too, but API Gateway is not documented to
 * count pings, so the soak does what a client on AWS must do. Every client records the broadcasts
 * it received and the close status the gateway sent, if it closed the connection.
 */
final class StableClients implements AutoCloseable {

    /** What each client sends to stay open: JSON without a route of its own, so {@code $default} gets it. */
    static final String KEEP_ALIVE = "{\"action\":\"keepalive\"}";
    private static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** Past the $connect timeout and the gateway's queue of $connects on the cold, loaded stack. */
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    /** One connected client. */
    static final class Client {
        private final Channel channel;
        private final Map<String, Integer> copies = new ConcurrentHashMap<>();
        private volatile int closeStatus = -1;

        Client(Channel channel) {
            this.channel = channel;
        }

        boolean isOpen() {
            return channel.isActive();
        }

        boolean received(String broadcastId) {
            return copies.containsKey(broadcastId);
        }

        /** The status of the gateway's close frame, or -1 if it sent none. */
        int closeStatus() {
            return closeStatus;
        }

        void record(String text) {
            copies.merge(broadcastIdOf(text), 1, Integer::sum);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final LongAdder keepAlivesSent = new LongAdder();

    /**
     * Opens {@code count} clients, at most {@code parallelHandshakes} handshakes at a time, each
     * sending {@link #KEEP_ALIVE} every {@code keepAlive} once open.
     *
     * @throws IllegalStateException if some could not connect (their sockets are closed)
     */
    static StableClients connect(URI uri, int count, int parallelHandshakes, Duration keepAlive, long seed) {
        StableClients swarm = new StableClients();
        try {
            swarm.open(uri, count, parallelHandshakes);
        } catch (RuntimeException e) {
            swarm.close();
            throw e;
        }
        swarm.keepAlive(keepAlive, new Random(seed));
        return swarm;
    }

    private void open(URI uri, int count, int parallelHandshakes) {
        Semaphore window = new Semaphore(parallelHandshakes);
        List<CompletableFuture<Client>> pending = new ArrayList<>(count);
        List<String> errors = new CopyOnWriteArrayList<>();
        for (int i = 0; i < count; i++) {
            window.acquireUninterruptibly();
            pending.add(openOne(uri).whenComplete((c, e) -> {
                window.release();
                if (e != null) {
                    errors.add(e.toString());
                } else {
                    clients.add(c);
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).exceptionally(e -> null).join();
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.size() + " of " + count + " clients could not connect to " + uri
                    + "; first error: " + errors.get(0));
        }
    }

    private void keepAlive(Duration every, Random random) {
        long period = every.toMillis();
        for (Client client : clients) {
            long first = (long) (random.nextDouble() * period);
            client.channel.eventLoop().scheduleAtFixedRate(() -> {
                if (client.isOpen()) {
                    client.channel.writeAndFlush(new TextWebSocketFrame(KEEP_ALIVE));
                    keepAlivesSent.increment();
                }
            }, first, period, TimeUnit.MILLISECONDS);
        }
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
                                // Close frames come through to the handler below, which records their status.
                                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                        uri, WebSocketVersion.V13, null, true, new DefaultHttpHeaders(), MAX_MESSAGE_BYTES),
                                        false, true, HANDSHAKE_TIMEOUT_MILLIS),
                                new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
                                new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                        if (frame instanceof TextWebSocketFrame text) {
                                            client.record(text.text());
                                        } else if (frame instanceof CloseWebSocketFrame close) {
                                            client.closeStatus = close.statusCode();
                                            ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), ""))
                                                    .addListener(f -> ctx.close());
                                        }
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
        bootstrap.connect(uri.getHost(), uri.getPort()).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    List<Client> clients() {
        return List.copyOf(clients);
    }

    long keepAlivesSent() {
        return keepAlivesSent.sum();
    }

    /** Waits until every open client has {@code broadcastId}, or {@code timeout} passes. */
    boolean awaitAll(String broadcastId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (clients.stream().filter(Client::isOpen).allMatch(c -> c.received(broadcastId))) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
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
}
