package dev.wsfanout.local.faults;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Netty transport of both the listener and the upstream connections, chosen as the gateway emulator
 * chooses its own: epoll where its native library loads (less CPU per request), NIO elsewhere.
 */
record ProxyTransport(IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
                      Class<? extends Channel> socketChannel) {

    static ProxyTransport best() {
        if (Epoll.isAvailable()) {
            return new ProxyTransport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new ProxyTransport(NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }
}
