package dev.wsfanout.local.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Netty WebSocket client that keeps every frame as it came off the wire (no reassembly), so a
 * test can see how the gateway fragments a message.
 */
final class FrameRecordingClient implements AutoCloseable {

    /** One received frame: its type, FIN bit and payload size. */
    record Frame(String type, boolean fin, int bytes) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Channel channel;

    FrameRecordingClient(URI uri) throws Exception {
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 256 * 1024);
        CompletableFuture<Void> handshaken = new CompletableFuture<>();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
                                        if (!handshaker.isHandshakeComplete()) {
                                            handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) message);
                                            handshaken.complete(null);
                                        } else if (message instanceof WebSocketFrame frame) {
                                            frames.add(new Frame(frame.getClass().getSimpleName(),
                                                    frame.isFinalFragment(), frame.content().readableBytes()));
                                        }
                                    }
                                });
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
        // Started on the event loop: from another thread, the write could complete and the 101 be
        // read (which removes the HTTP codec) before handshake() looks for the codec in its listener.
        channel.eventLoop().submit(() -> handshaker.handshake(channel)).sync().getNow().sync();
        handshaken.get(10, TimeUnit.SECONDS);
    }

    /** The next frame, or fails after 10 seconds. */
    Frame nextFrame() throws InterruptedException {
        Frame frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame arrived within 10 s");
        }
        return frame;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
