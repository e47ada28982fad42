package dev.wsfanout.local.faults;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;

/** Hands what the upstream connection delivers (responses, and its closing) to the client connection it serves. */
final class UpstreamResponses extends ChannelInboundHandlerAdapter {

    private final ClientConnection client;

    UpstreamResponses(ClientConnection client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpResponse response && response.decoderResult().isSuccess()) {
            client.upstreamResponded(response);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.upstreamClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
