package dev.wsfanout.local.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connection with a real WebSocket client behind a Netty channel.
 *
 * <p>A client that does not read fills its socket's kernel buffers, then the channel's outbound
 * buffer. When the gateway was built with a bounded client buffer, the channel's high water mark
 * is that bound, and a post whose message does not fit in what is left below it is refused
 * ({@link Delivery#BUFFER_FULL}, 429 LimitExceededException, as API Gateway answers when "the
 * WebSocket client side buffer is full") instead of being queued. A message that was accepted
 * but still waits in the buffer is answered 200 at once and counted as delivered once written.
 */
final class SocketConnection extends GatewayConnection {

    /** API Gateway sends messages in frames of at most 32 KB. */
    static final int MAX_FRAME_BYTES = 32 * 1024;

    private final Channel channel;
    private final LiveCounters counters;
    private final boolean boundedBuffer;
    private final AtomicReference<CloseStatus> closeStatus = new AtomicReference<>();

    /** @param boundedBuffer whether the channel's write buffer water mark bounds what a post may queue */
    SocketConnection(ConnectionInfo info, Channel channel, LiveCounters counters, boolean boundedBuffer) {
        super(info);
        this.channel = channel;
        this.counters = counters;
        this.boundedBuffer = boundedBuffer;
    }

    @Override
    boolean isVirtual() {
        return false;
    }

    /** Remembers why the connection is ending; the first reason given wins. */
    void recordCloseStatus(CloseStatus status) {
        closeStatus.compareAndSet(null, status);
    }

    /** Why the connection ended; a socket that just went away ended abnormally. */
    CloseStatus closeStatus() {
        CloseStatus status = closeStatus.get();
        return status == null ? CloseStatus.ABNORMAL : status;
    }

    @Override
    CompletableFuture<Delivery> deliver(byte[] utf8Text) {
        CompletableFuture<Delivery> written = new CompletableFuture<>();
        if (!channel.isActive() || closeStatus.get() != null) {
            written.complete(Delivery.GONE);
            return written;
        }
        // All frames of one message are written in one event-loop task so that two concurrent
        // posts to the same connection cannot interleave their fragments, and so that the room
        // left in the buffer is what it is when the message is queued.
        try {
            channel.eventLoop().execute(() -> {
                if (boundedBuffer && channel.isActive() && channel.bytesBeforeUnwritable() < utf8Text.length) {
                    counters.postsBufferFull.increment();
                    written.complete(Delivery.BUFFER_FULL);
                    return;
                }
                ChannelFuture lastFrame = writeFrames(utf8Text);
                channel.flush();
                lastFrame.addListener(done -> {
                    if (done.isSuccess()) {
                        touch();
                        counters.messagesDelivered.increment();
                        counters.bytesDelivered.add(utf8Text.length);
                        counters.framesWritten.add(frameCount(utf8Text.length));
                    }
                    written.complete(done.isSuccess() ? Delivery.DELIVERED : Delivery.GONE);
                });
                if (!lastFrame.isDone()) {
                    // The socket took only part of it: the rest waits in the client's buffer, as it
                    // would at API Gateway, which has accepted the message.
                    written.complete(Delivery.DELIVERED);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            written.complete(Delivery.GONE);
        }
        return written;
    }

    @Override
    void close(CloseStatus status) {
        recordCloseStatus(status);
        channel.writeAndFlush(new CloseWebSocketFrame(status.code(), status.reason()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    static int frameCount(int messageBytes) {
        return Math.max(1, (messageBytes + MAX_FRAME_BYTES - 1) / MAX_FRAME_BYTES);
    }

    /** Writes the message as one text frame, or a text frame and continuation frames; returns the last write. */
    private ChannelFuture writeFrames(byte[] utf8Text) {
        if (utf8Text.length <= MAX_FRAME_BYTES) {
            return channel.write(new TextWebSocketFrame(true, 0, Unpooled.wrappedBuffer(utf8Text)));
        }
        ChannelFuture lastWrite = null;
        for (int offset = 0; offset < utf8Text.length; offset += MAX_FRAME_BYTES) {
            int length = Math.min(MAX_FRAME_BYTES, utf8Text.length - offset);
            boolean last = offset + length == utf8Text.length;
            ByteBuf payload = Unpooled.wrappedBuffer(utf8Text, offset, length);
            lastWrite = channel.write(offset == 0
                    ? new TextWebSocketFrame(false, 0, payload)
                    : new ContinuationWebSocketFrame(last, 0, payload));
        }
        return lastWrite;
    }
}
