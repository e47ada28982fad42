package dev.wsfanout.local.faults;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

import java.net.InetSocketAddress;

/** Opens the upstream connection of one client connection, on that connection's event loop. */
final class UpstreamConnector {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final InetSocketAddress address;
    private final ProxyTransport transport;

    UpstreamConnector(InetSocketAddress address, ProxyTransport transport) {
        this.address = address;
        this.transport = transport;
    }

    ChannelFuture connect(EventLoop loop, ClientConnection client) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(),
                                new HttpObjectAggregator(FaultProxy.MAX_BODY_BYTES),
                                new UpstreamResponses(client));
                    }
                })
                .connect(address);
    }
}
