package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;

import java.util.Base64;

/**
 * Handles what an accepted client sends: data messages go to their route, a close frame ends the
 * connection with the client's status, pings are answered, and an idle timeout closes it.
 */
final class ClientFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketConnection connection;
    private final RouteInvoker routes;
    private final LiveCounters counters;
    private final IdSource ids;

    ClientFrameHandler(SocketConnection connection, RouteInvoker routes, LiveCounters counters, IdSource ids) {
        this.connection = connection;
        this.routes = routes;
        this.counters = counters;
        this.ids = ids;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            received();
            String body = text.text();
            routes.routes().select(body).ifPresentOrElse(
                    route -> routes.message(connection.info(), route, body, false),
                    () -> ctx.writeAndFlush(new TextWebSocketFrame(forbiddenMessage())));
        } else if (frame instanceof BinaryWebSocketFrame binary) {
            received();
            // Binary messages cannot carry a route selection key; API Gateway hands them to $default, base64-encoded.
            String body = Base64.getEncoder().encodeToString(ByteBufUtil.getBytes(binary.content()));
            routes.routes().defaultSelection().ifPresentOrElse(
                    route -> routes.message(connection.info(), route, body, true),
                    () -> ctx.writeAndFlush(new TextWebSocketFrame(forbiddenMessage())));
        } else if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            int code = close.statusCode();
            connection.recordCloseStatus(code == -1 ? CloseStatus.CLIENT_NO_STATUS : new CloseStatus(code, close.reasonText()));
            ctx.writeAndFlush(new CloseWebSocketFrame(code == -1 ? 1000 : code, ""))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            connection.close(CloseStatus.GOING_AWAY);
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A protocol violation or a reset socket: the connection is over either way.
        ctx.close();
    }

    private void received() {
        counters.messagesReceived.increment();
        connection.touch();
    }

    /** What API Gateway sends back when no route matches a message. */
    private String forbiddenMessage() {
        ObjectNode message = JSON.createObjectNode();
        message.put("message", "Forbidden");
        message.put("connectionId", connection.id());
        message.put("requestId", ids.next());
        return message.toString();
    }
}
