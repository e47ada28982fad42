package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsfanout.local.net.LoopbackHost;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

/**
 * The {@code @connections} management API, as the AWS SDK's ApiGatewayManagementApiClient calls it
 * with an endpoint of {@code http://127.0.0.1:PORT/STAGE}:
 * {@code POST} delivers the body as one message, {@code GET} describes the connection,
 * {@code DELETE} closes it. Every call first passes the account rate limit; posts may then meet an
 * injected fault. One instance serves all management channels.
 *
 * <p>Emulator-only, with no counterpart on AWS (API Gateway cannot list a stage's connections):
 * {@code GET /STAGE/@local/connections} answers {@code {"connectionIds":["...", ...]}}, the ids
 * of every connection open now, with a socket or virtual. {@code wsfanout census} in another
 * process compares them with the openConnections. It is not an AWS call, so it spends no token of the
 * rate limit, and nothing else on the {@code @local} path exists (403, as any unknown path).
 *
 * <p>Emulator-only too: a request whose Host header does not name a loopback address
 * ({@link LoopbackHost}: what DNS rebinding sends) is refused first, 403 ForbiddenException with a
 * message naming the refused Host, without taking a token of the rate limit.
 */
@ChannelHandler.Sharable
final class ManagementApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** API Gateway's limit on a posted message. */
    static final int MAX_POST_BYTES = 128 * 1024;

    private static final String CONNECTIONS = "/@connections/";
    /** The emulator-only list of open connection ids: see the class comment. */
    static final String LOCAL_CONNECTIONS = "/@local/connections";

    private final ApiStage api;
    private final OpenConnections openConnections;
    private final LiveCounters counters;
    private final IdSource ids;
    private final ThrottleBucket rateLimit;
    private final FaultInjection faults;
    private final Random faultDraws;

    ManagementApiHandler(ApiStage api, OpenConnections openConnections, LiveCounters counters, IdSource ids,
                         ThrottleBucket rateLimit, FaultInjection faults) {
        this.api = api;
        this.openConnections = openConnections;
        this.counters = counters;
        this.ids = ids;
        this.rateLimit = rateLimit;
        this.faults = faults;
        this.faultDraws = new Random(faults.seed());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpMethod method = request.method();
        Optional<String> foreignHost = LoopbackHost.refusal(request.headers().getAll(HttpHeaderNames.HOST),
                "the local @connections management API");
        if (foreignHost.isPresent()) {
            if (HttpMethod.POST.equals(method)) {
                counters.post(ManagementError.FORBIDDEN.status());
            }
            respond(ctx, keepAlive, forbidden(foreignHost.get()));
            return;
        }
        if (HttpMethod.GET.equals(method) && isLocalConnections(request.uri())) {
            listOpenConnections(ctx, keepAlive);
            return;
        }
        String connectionId = connectionIdOf(request.uri());
        boolean post = HttpMethod.POST.equals(method);
        if (connectionId == null || !(post || HttpMethod.GET.equals(method) || HttpMethod.DELETE.equals(method))) {
            fail(ctx, keepAlive, ManagementError.FORBIDDEN, post);
            return;
        }
        if (!rateLimit.tryAcquire()) {
            fail(ctx, keepAlive, ManagementError.LIMIT_EXCEEDED, post);
            return;
        }
        if (post) {
            post(ctx, keepAlive, connectionId, ByteBufUtil.getBytes(request.content()));
        } else if (HttpMethod.GET.equals(method)) {
            describe(ctx, keepAlive, connectionId);
        } else {
            delete(ctx, keepAlive, connectionId);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that resets its socket mid-request; nothing to answer.
        ctx.close();
    }

    private void post(ChannelHandlerContext ctx, boolean keepAlive, String connectionId, byte[] message) {
        if (message.length > MAX_POST_BYTES) {
            fail(ctx, keepAlive, ManagementError.PAYLOAD_TOO_LARGE, true);
            return;
        }
        GatewayConnection connection = openConnections.get(connectionId);
        FaultInjection.Fault fault = faults.isNone() ? FaultInjection.Fault.NONE : faults.faultFor(faultDraws.nextDouble());
        switch (fault) {
            case THROTTLE -> fail(ctx, keepAlive, ManagementError.LIMIT_EXCEEDED, true);
            case SERVER_ERROR -> fail(ctx, keepAlive, ManagementError.INTERNAL_ERROR, true);
            case DROP -> {
                if (connection != null) {
                    connection.close(CloseStatus.GOING_AWAY);
                }
                fail(ctx, keepAlive, ManagementError.GONE, true);
            }
            case NONE -> {
                if (connection == null) {
                    fail(ctx, keepAlive, ManagementError.GONE, true);
                    return;
                }
                connection.deliver(message).whenComplete((delivery, error) -> {
                    if (delivery == GatewayConnection.Delivery.DELIVERED) {
                        counters.post(HttpResponseStatus.OK.code());
                        respond(ctx, keepAlive, emptyResponse(HttpResponseStatus.OK));
                    } else if (delivery == GatewayConnection.Delivery.BUFFER_FULL) {
                        fail(ctx, keepAlive, ManagementError.CLIENT_BUFFER_FULL, true);
                    } else {
                        fail(ctx, keepAlive, ManagementError.GONE, true);
                    }
                });
            }
        }
    }

    private void describe(ChannelHandlerContext ctx, boolean keepAlive, String connectionId) {
        GatewayConnection connection = openConnections.get(connectionId);
        if (connection == null) {
            fail(ctx, keepAlive, ManagementError.GONE, false);
            return;
        }
        ConnectionInfo info = connection.info();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("connectedAt", Instant.ofEpochMilli(info.connectedAtMillis()).toString());
        ObjectNode identity = body.putObject("identity");
        identity.put("sourceIp", info.sourceIp());
        if (info.userAgent() != null) {
            identity.put("userAgent", info.userAgent());
        }
        body.put("lastActiveAt", Instant.ofEpochMilli(connection.lastActiveAtMillis()).toString());
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        respond(ctx, keepAlive, response);
    }

    /** {@code {"connectionIds":[...]}}: every connection the gateway has open now (emulator-only). */
    private void listOpenConnections(ChannelHandlerContext ctx, boolean keepAlive) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode ids = body.putArray("connectionIds");
        for (GatewayConnection connection : openConnections.all()) {
            ids.add(connection.id());
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        respond(ctx, keepAlive, response);
    }

    private boolean isLocalConnections(String uri) {
        return uri.split("\\?", 2)[0].equals(api.pathPrefix() + LOCAL_CONNECTIONS);
    }

    private void delete(ChannelHandlerContext ctx, boolean keepAlive, String connectionId) {
        GatewayConnection connection = openConnections.get(connectionId);
        if (connection == null) {
            fail(ctx, keepAlive, ManagementError.GONE, false);
            return;
        }
        connection.close(CloseStatus.DELETED);
        respond(ctx, keepAlive, emptyResponse(HttpResponseStatus.NO_CONTENT));
    }

    /**
     * The connection id from {@code /STAGE/@connections/ID}, percent-decoded ({@code %3D} is
     * {@code =}); null for any other path. A literal {@code +} stays a plus: this is a path, not a form.
     */
    private String connectionIdOf(String uri) {
        String path = uri.split("\\?", 2)[0];
        String prefix = api.pathPrefix() + CONNECTIONS;
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return null;
        }
        String encoded = path.substring(prefix.length());
        if (encoded.contains("/")) {
            return null;
        }
        try {
            return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
    }

    private void fail(ChannelHandlerContext ctx, boolean keepAlive, ManagementError error, boolean countAsPost) {
        if (countAsPost) {
            counters.post(error.status());
        }
        respond(ctx, keepAlive, error.response());
    }

    /** 403 ForbiddenException, as {@link ManagementError#FORBIDDEN} but with a message of its own. */
    private static FullHttpResponse forbidden(String message) {
        byte[] bytes = JsonNodeFactory.instance.objectNode().put("message", message).toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        response.headers().set("x-amzn-ErrorType", "ForbiddenException");
        return response;
    }

    private FullHttpResponse emptyResponse(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        if (status.code() != HttpResponseStatus.NO_CONTENT.code()) {
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return response;
    }

    private void respond(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        response.headers().set("x-amzn-RequestId", ids.next());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
