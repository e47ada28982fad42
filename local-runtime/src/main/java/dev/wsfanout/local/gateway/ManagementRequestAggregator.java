package dev.wsfanout.local.gateway;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMessage;

/**
 * Collects a management request into one message. Posts above 128 KB are refused by the handler
 * with a proper PayloadTooLargeException; only bodies beyond this aggregator's far larger limit
 * are refused here, still in the shape the SDK understands.
 */
final class ManagementRequestAggregator extends HttpObjectAggregator {

    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    ManagementRequestAggregator() {
        super(MAX_REQUEST_BYTES);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.writeAndFlush(ManagementError.PAYLOAD_TOO_LARGE.response())
                .addListener(ChannelFutureListener.CLOSE);
    }
}
