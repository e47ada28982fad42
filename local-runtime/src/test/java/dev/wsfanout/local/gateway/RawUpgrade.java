package dev.wsfanout.local.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket upgrade written by hand on a plain socket, so a test sees the gateway's exact answer
 * (status line, headers, body) and can decide whether to read what follows at all.
 */
final class RawUpgrade implements AutoCloseable {

    private final Socket socket;
    private final String responseHead;

    /** @param receiveBufferBytes the client's socket receive buffer (set before connecting); 0 = the system's */
    RawUpgrade(URI uri, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.setSoTimeout(10_000);
        socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        socket.getOutputStream().write(("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        responseHead = dev.wsfanout.local.net.RawHttp.readHead(socket.getInputStream());
    }

    /** The status line and headers of the answer, CRLF-separated, without the blank line. */
    String head() {
        return responseHead;
    }

    int status() {
        return Integer.parseInt(responseHead.split(" ", 3)[1]);
    }

    /** The value of {@code name} in the answer's headers (case-insensitive), or null. */
    String header(String name) {
        for (String line : responseHead.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The body of a refusal, {@code Content-Length} bytes of it. */
    String body() throws IOException {
        String length = header("Content-Length");
        int bytes = length == null ? 0 : Integer.parseInt(length);
        return new String(socket.getInputStream().readNBytes(bytes), StandardCharsets.UTF_8);
    }

    InputStream input() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
