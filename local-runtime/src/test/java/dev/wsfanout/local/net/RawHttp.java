package dev.wsfanout.local.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written by hand on a plain socket to 127.0.0.1, so a test can send any Host
 * header (java.net.http refuses to set one) and see the exact answer. Reads the status line, the
 * headers and Content-Length bytes of body; a 101 answer's socket is left as it is and closed.
 */
public final class RawHttp {

    /** @param status the status code; headers by lower-case name; the body as UTF-8 text */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /**
     * @param head the request line and headers, each ending in CRLF, without the blank line that
     *             ends them (Content-Length is added for a body)
     */
    public static Response send(int port, String head, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String request = head + (body == null ? "" : "Content-Length: " + content.length + "\r\n") + "\r\n";
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(15_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String[] lines = readHead(in).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            String length = headers.get("content-length");
            String text = status == 101 || length == null ? ""
                    : new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
            return new Response(status, headers, text);
        }
    }

    /** A GET with only the given Host (and Connection: close). */
    public static Response get(int port, String path, String host) throws IOException {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n", null);
    }

    /** The status line and headers of an HTTP answer, CRLF-separated, without the blank line. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes of the answer: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }
}
