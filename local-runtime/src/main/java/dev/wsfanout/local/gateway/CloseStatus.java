package dev.wsfanout.local.gateway;

/**
 * Why a connection ended, as the {@code $disconnect} event reports it in
 * {@code requestContext.disconnectStatusCode} and {@code disconnectReason}.
 */
record CloseStatus(int code, String reason) {

    /** The client sent a close frame without a status code. */
    static final CloseStatus CLIENT_NO_STATUS = new CloseStatus(1005, "Client-side close frame status not set");
    /** The TCP connection ended without a close frame. */
    static final CloseStatus ABNORMAL = new CloseStatus(1006, "Connection closed abnormally");
    /** The gateway ended the connection: idle timeout, maximum duration or an injected drop. */
    static final CloseStatus GOING_AWAY = new CloseStatus(1001, "Going away");
    /** A {@code DELETE @connections/{id}} call ended the connection. */
    static final CloseStatus DELETED = new CloseStatus(1000, "Connection deleted via the management API");
}
