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

    /**
     * Delivers one posted message (UTF-8 text). Completes with true once it is written, false when
     * the connection turned out to be gone.
     */
    abstract CompletableFuture<Boolean> deliver(byte[] utf8Text);

    /** Ends the connection from the gateway's side; $disconnect follows. */
    abstract void close(CloseStatus status);
}
