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

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
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
        HOLD,
        /** the upstream's answer to the proxy's own DescribeTable, before the parked request is decided (limits) */
        DESCRIBE
    }

    private final UpstreamConnector connector;
    private final Supplier<PlanRun> plan;
    private final FaultCounters counters;
    /** Null when no DynamoDB limit is on. */
    private final DynamoDbLimiter limiter;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private Channel upstream;
    private Exchange current;
    private ScheduledFuture<?> holdTimer;
    private ChannelFuture lastWrite;
    /** What the limits charge when the relayed request's answer arrives; null when nothing. */
    private DynamoDbLimiter.Settlement settlement;
    /** The request waiting for its table's DescribeTable, the table, and the tables described for it so far. */
    private FullHttpRequest parked;
    private AwsRequest parkedAws;
    private String describing;
    private Set<String> described = Set.of();

    ClientConnection(UpstreamConnector connector, Supplier<PlanRun> plan, FaultCounters counters, DynamoDbLimiter limiter) {
        this.connector = connector;
        this.plan = plan;
        this.counters = counters;
        this.limiter = limiter;
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
        if (parked != null) {
            parked.release();
            parked = null;
        }
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
            lastWrite = ctx.writeAndFlush(settled(response));
            serveWaiting();
        } else if (current == Exchange.DESCRIBE) {
            current = null;
            try {
                limiter.learn(describing, response);
            } finally {
                response.release();
            }
            FullHttpRequest request = parked;
            parked = null;
            admit(request, parkedAws, described);
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
            admit(request, aws, Set.of());
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
            case THROTTLE, THROTTLING_EXCEPTION, SERVER_ERROR -> answer(request, AwsErrors.response(aws.service(), rule.fault()));
        }
    }

    /** A request no fault was planned for meets the DynamoDB limits, if any are on. */
    private void admit(FullHttpRequest request, AwsRequest aws, Set<String> describedTables) {
        if (limiter == null) {
            forward(request, aws, Exchange.RELAY);
            return;
        }
        DynamoDbLimiter.Decision decision;
        try {
            decision = limiter.decide(aws, describedTables);
        } catch (RuntimeException e) {
            decision = DynamoDbLimiter.Pass.INSTANCE; // a limit must never break a call dynalite would serve
        }
        if (decision instanceof DynamoDbLimiter.Refuse refuse) {
            answer(request, refuse.response());
        } else if (decision instanceof DynamoDbLimiter.Describe describe) {
            describe(request, aws, describe.table(), describedTables);
        } else if (decision instanceof DynamoDbLimiter.Forward go) {
            FullHttpRequest sent = request;
            if (go.body() != null) {
                sent = request.replace(Unpooled.wrappedBuffer(go.body()));
                sent.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, go.body().length);
                request.release();
            }
            forward(sent, aws, Exchange.RELAY);
            if (current == Exchange.RELAY) {
                settlement = go.settlement();
            }
        } else {
            forward(request, aws, Exchange.RELAY);
        }
    }

    private void describe(FullHttpRequest request, AwsRequest aws, String table, Set<String> describedTables) {
        if (upstream == null || !upstream.isActive()) {
            request.release();
            ctx.close();
            return;
        }
        parked = request;
        parkedAws = aws;
        describing = table;
        Set<String> more = new HashSet<>(describedTables);
        more.add(table);
        described = more;
        current = Exchange.DESCRIBE;
        upstream.writeAndFlush(DynamoDbLimiter.describeRequest(table, request)).addListener((ChannelFuture written) -> {
            if (!written.isSuccess()) {
                ctx.close();
            }
        });
    }

    private FullHttpResponse settled(FullHttpResponse response) {
        DynamoDbLimiter.Settlement charge = settlement;
        if (charge == null) {
            return response;
        }
        settlement = null;
        try {
            return charge.settle(response);
        } catch (RuntimeException e) {
            return response;
        }
    }

    private void answer(FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        request.release();
        lastWrite = ctx.writeAndFlush(response);
        if (!keepAlive) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
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
