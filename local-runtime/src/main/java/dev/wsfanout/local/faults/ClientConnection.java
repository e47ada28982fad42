package dev.wsfanout.local.faults;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One client connection and the upstream connection that serves it alone. The pair shares one event loop,
 * so a request crosses no thread and takes no pool lock; and the two close together, so the client sees the
 * upstream's own keep-alive behaviour, as if it were connected to the upstream directly. Requests are served
 * one at a time, in order, as HTTP/1.1 requires of a connection's responses.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    /** What the request being served waits for. */
    private enum Exchange {
        /** the upstream's response, to pass on */
        RELAY,
        /** the upstream's response, to drop (RESPONSE_LOST) */
        LOSE_RESPONSE,
        /** nothing: the hold timer closes the connection (TIMEOUT) */
        HOLD
    }

    private final UpstreamConnector connector;
    private final Supplier<PlanRun> plan;
    private final FaultCounters counters;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private Channel upstream;
    private Exchange current;
    private ScheduledFuture<?> holdTimer;
    private ChannelFuture lastWrite;

    ClientConnection(UpstreamConnector connector, Supplier<PlanRun> plan, FaultCounters counters) {
        this.connector = connector;
        this.plan = plan;
        this.counters = counters;
    }

    /** The listener accepts with auto-read off: nothing is read until there is an upstream to forward to. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        connector.connect(ctx.channel().eventLoop(), this).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                ctx.close();
            } else if (!ctx.channel().isActive()) {
                connected.channel().close();
            } else {
                upstream = connected.channel();
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || request.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        waiting.add(request);
        serveWaiting();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (holdTimer != null) {
            holdTimer.cancel(false);
        }
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        if (upstream != null) {
            upstream.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    void upstreamResponded(FullHttpResponse response) {
        if (current == Exchange.RELAY) {
            current = null;
            lastWrite = ctx.writeAndFlush(response);
            serveWaiting();
        } else {
            // LOSE_RESPONSE: the request was applied and the client will never hear of it; anything else was not asked for
            response.release();
            ctx.close();
        }
    }

    void upstreamClosed() {
        // a held request's connection outlives the upstream's idle close: the client must see silence, not a close
        if (current != Exchange.HOLD) {
            closeAfterWrites();
        }
    }

    private void serveWaiting() {
        FullHttpRequest request;
        while (current == null && ctx.channel().isActive() && (request = waiting.poll()) != null) {
            serve(request);
        }
    }

    private void serve(FullHttpRequest request) {
        AwsRequest aws = AwsRequest.of(request);
        counters.recordSeen(aws);
        Optional<FaultRule> fault = plan.get().decide(aws);
        if (fault.isEmpty()) {
            forward(request, aws, Exchange.RELAY);
            return;
        }
        FaultRule rule = fault.get();
        counters.recordInjected(rule);
        switch (rule.fault()) {
            case RESPONSE_LOST -> forward(request, aws, Exchange.LOSE_RESPONSE);
            case TIMEOUT -> {
                request.release();
                current = Exchange.HOLD;
                holdTimer = ctx.executor().schedule((Runnable) ctx::close, rule.hold().toMillis(), TimeUnit.MILLISECONDS);
            }
            case THROTTLE, THROTTLING_EXCEPTION, SERVER_ERROR -> {
                boolean keepAlive = HttpUtil.isKeepAlive(request);
                request.release();
                lastWrite = ctx.writeAndFlush(AwsErrors.response(aws.service(), rule.fault()));
                if (!keepAlive) {
                    lastWrite.addListener(ChannelFutureListener.CLOSE);
                }
            }
        }
    }

    private void forward(FullHttpRequest request, AwsRequest aws, Exchange exchange) {
        if (upstream == null || !upstream.isActive()) {
            request.release();
            ctx.close();
            return;
        }
        counters.recordForwarded(aws);
        current = exchange;
        upstream.writeAndFlush(request).addListener((ChannelFuture written) -> {
            if (!written.isSuccess()) {
                ctx.close();
            }
        });
    }

    private void closeAfterWrites() {
        if (lastWrite == null || lastWrite.isDone()) {
            ctx.close();
        } else {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
