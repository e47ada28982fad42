package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Answers a client's HTTP upgrade request the way API Gateway does: $connect decides (off the
 * event loop) whether the connection is accepted; a refusal answers the upgrade with the
 * integration's status code, an acceptance completes the WebSocket handshake, registers the
 * connection and hands the channel over to {@link ClientFrameHandler}.
 *
 * <p>A valid upgrade first takes a token of the account's new-connection rate (API Gateway: 500
 * new connections per second per account per Region); without one it is refused with 429 and
 * {@code {"message":"Too Many Requests"}}, before $connect runs. AWS does not document how it
 * refuses an upgrade over that rate; this is API Gateway's throttle answer elsewhere (an assumption).
 *
 * <p>Emulator-only: with {@link WebSocketGateway.Builder#allowedOrigins allowed origins} set, an
 * upgrade whose {@code Origin} header is present and not among them (a web page the user happened
 * to open) is refused with 403 and {@code {"message":"Forbidden: Origin ... is not one of ..."}},
 * before the connect rate and before $connect; it counts in {@code connectsRejected}.
 */
final class UpgradeRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** API Gateway accepts client messages of up to 128 KB. */
    static final int MAX_MESSAGE_BYTES = 128 * 1024;
    /** The body API Gateway answers a throttled request with. */
    static final String TOO_MANY_REQUESTS_BODY = "{\"message\":\"Too Many Requests\"}";

    private final ApiStage api;
    private final RouteInvoker routes;
    private final OpenConnections openConnections;
    private final LiveCounters counters;
    private final IdSource ids;
    private final ConnectionTimeouts timeouts;
    private final ThrottleBucket connectRate;
    private final boolean boundedClientBuffer;
    private final AllowedOrigins allowedOrigins;

    UpgradeRequestHandler(ApiStage api, RouteInvoker routes, OpenConnections openConnections, LiveCounters counters,
                          IdSource ids, ConnectionTimeouts timeouts, ThrottleBucket connectRate, boolean boundedClientBuffer,
                          AllowedOrigins allowedOrigins) {
        this.api = api;
        this.routes = routes;
        this.openConnections = openConnections;
        this.counters = counters;
        this.ids = ids;
        this.timeouts = timeouts;
        this.connectRate = connectRate;
        this.boundedClientBuffer = boundedClientBuffer;
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (!uri.path().equals(api.pathPrefix()) && !uri.path().equals(api.pathPrefix() + "/")) {
            refuse(ctx, HttpResponseStatus.FORBIDDEN.code());
            return;
        }
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            refuse(ctx, HttpResponseStatus.UPGRADE_REQUIRED.code());
            return;
        }
        // A request no handshake can answer (an unsupported WebSocket version) is refused before
        // $connect: API Gateway validates the upgrade first, and a $connect that registered it
        // would leave a row for a socket that never opens.
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + request.headers().get(HttpHeaderNames.HOST, "127.0.0.1") + api.pathPrefix(),
                null, false, MAX_MESSAGE_BYTES).newHandshaker(request);
        if (handshaker == null) {
            counters.connectsRejected.increment();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Optional<String> foreignOrigin = allowedOrigins.refusal(request.headers().getAll(HttpHeaderNames.ORIGIN));
        if (foreignOrigin.isPresent()) {
            refuseWithMessage(ctx, HttpResponseStatus.FORBIDDEN, foreignOrigin.get());
            return;
        }
        if (!connectRate.tryAcquire()) {
            counters.connectsThrottled.increment();
            refuseThrottled(ctx);
            return;
        }
        ConnectionInfo connection = new ConnectionInfo(ids.next(), System.currentTimeMillis(),
                sourceIp(ctx.channel()), request.headers().get(HttpHeaderNames.USER_AGENT),
                headersOf(request), uri.parameters());
        FullHttpRequest retained = request.retain();
        ctx.channel().config().setAutoRead(false);
        routes.connect(connection).whenComplete((status, error) -> ctx.executor().execute(() -> {
            try {
                finishUpgrade(ctx, retained, handshaker, connection, error == null ? status : RouteInvoker.INTEGRATION_FAILURE_STATUS);
            } finally {
                retained.release();
            }
        }));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that resets its socket mid-request; nothing to answer.
        ctx.close();
    }

    private void finishUpgrade(ChannelHandlerContext ctx, FullHttpRequest request, WebSocketServerHandshaker handshaker,
                               ConnectionInfo info, int status) {
        if (status < 200 || status > 299) {
            refuse(ctx, status);
            return;
        }
        Channel channel = ctx.channel();
        counters.connectsAccepted.increment();
        SocketConnection connection = new SocketConnection(info, channel, counters, boundedClientBuffer);
        if (!channel.isActive()) {
            // The client gave up while $connect ran, after $connect accepted it: the connection
            // existed, so it ends now and $disconnect undoes what $connect registered.
            openConnections.add(connection);
            openConnections.ended(connection, CloseStatus.ABNORMAL);
            return;
        }
        handshaker.handshake(channel, request);
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addBefore(ctx.name(), "idle-timeout",
                new IdleStateHandler(timeouts.idle().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        pipeline.addBefore(ctx.name(), "message-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
        pipeline.replace(ctx.name(), "client-frames", new ClientFrameHandler(connection, routes, counters, ids));
        openConnections.add(connection);
        ScheduledFuture<?> expiry = channel.eventLoop().schedule(
                () -> connection.close(CloseStatus.GOING_AWAY), timeouts.maxDuration().toNanos(), TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> {
            expiry.cancel(false);
            openConnections.ended(connection, connection.closeStatus());
        });
        channel.config().setAutoRead(true);
    }

    private void refuse(ChannelHandlerContext ctx, int status) {
        counters.connectsRejected.increment();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** 429 with API Gateway's throttle body; the socket is closed after it. */
    private void refuseThrottled(ChannelHandlerContext ctx) {
        refuseWithBody(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, TOO_MANY_REQUESTS_BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@code status} with {@code {"message": message}}; the socket is closed after it. */
    private void refuseWithMessage(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        refuseWithBody(ctx, status, JsonNodeFactory.instance.objectNode().put("message", message).toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void refuseWithBody(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body) {
        counters.connectsRejected.increment();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                io.netty.buffer.Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        response.headers().set("x-amzn-RequestId", ids.next());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String sourceIp(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress()
                : "127.0.0.1";
    }

    private static Map<String, List<String>> headersOf(FullHttpRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(header ->
                headers.computeIfAbsent(header.getKey(), name -> new ArrayList<>()).add(header.getValue()));
        headers.replaceAll((name, values) -> List.copyOf(values));
        return headers;
    }
}
