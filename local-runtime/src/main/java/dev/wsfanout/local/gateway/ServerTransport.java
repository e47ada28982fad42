package dev.wsfanout.local.gateway;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The Netty transport the listeners use: epoll where its native library loads (Linux x86-64),
 * which holds tens of thousands of sockets with less CPU and garbage than NIO; NIO elsewhere.
 */
record ServerTransport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {

    static ServerTransport best() {
        if (Epoll.isAvailable()) {
            return new ServerTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        return new ServerTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
