package dev.wsfanout.local.gateway;

import java.util.concurrent.CompletableFuture;

/** One open connection of the gateway, with or without a socket behind it. */
abstract sealed class GatewayConnection permits SocketConnection, VirtualConnection {

    private final ConnectionInfo info;
    private volatile long lastActiveAtMillis;

    GatewayConnection(ConnectionInfo info) {
        this.info = info;
        this.lastActiveAtMillis = info.connectedAtMillis();
    }

    final ConnectionInfo info() {
        return info;
    }

    final String id() {
        return info.connectionId();
    }

    final long lastActiveAtMillis() {
        return lastActiveAtMillis;
    }

    final void touch() {
        lastActiveAtMillis = System.currentTimeMillis();
    }

    abstract boolean isVirtual();

    /** What became of one posted message. */
    enum Delivery {
        /** Written to the socket, or accepted into the connection's outbound buffer (answered 200). */
        DELIVERED,
        /** The connection turned out to be gone (410). */
        GONE,
        /** The client is not reading fast enough and its buffer has no room for the message (429). */
        BUFFER_FULL
    }

    /** Delivers one posted message (UTF-8 text). */
    abstract CompletableFuture<Delivery> deliver(byte[] utf8Text);

    /** Ends the connection from the gateway's side; $disconnect follows. */
    abstract void close(CloseStatus status);
}
