package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wsfanout.model.JsonCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The live page on loopback: static files from {@code web/} on the classpath, and a small JSON API
 * the page uses to start a broadcast (StartExecution through the stack's SfnClient) and read its
 * audit. The page itself connects to the gateway as an ordinary WebSocket client.
 *
 * <ul>
 *   <li>{@code GET /api/config} → {@code {"webSocketUrl": "ws://127.0.0.1:8080/local"}}</li>
 *   <li>{@code POST /api/broadcasts} with {@code {"message": <any JSON>}} → 202 {@code {"name":..,"executionArn":..}}</li>
 *   <li>{@code GET /api/broadcasts/{name}} → the audit JSON ({@link BroadcastAudit})</li>
 * </ul>
 */
public final class LivePageServer implements AutoCloseable {

    private static final Pattern STATIC_FILE = Pattern.compile("/([a-z0-9-]+\\.(html|js|css|svg))");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private static final String BROADCASTS = "/api/broadcasts";

    private final BroadcastTarget target;
    private final URI webSocketUri;
    private final HttpServer server;
    private final ExecutorService threads;

    private LivePageServer(BroadcastTarget target, URI webSocketUri, HttpServer server, ExecutorService threads) {
        this.target = target;
        this.webSocketUri = webSocketUri;
        this.server = server;
        this.threads = threads;
    }

    /**
     * @param port 0 for a free port
     * @throws CliException if the port is in use
     */
    public static LivePageServer start(BroadcastTarget target, URI webSocketUri, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (BindException e) {
            throw PortCheck.inUse(port, "--page-port");
        } catch (IOException e) {
            throw new CliException(CliException.REFUSED, "the live page cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "live-page");
            thread.setDaemon(true);
            return thread;
        });
        LivePageServer page = new LivePageServer(target, webSocketUri, server, threads);
        server.setExecutor(threads);
        server.createContext("/", page::handle);
        server.start();
        return page;
    }

    /** {@code http://127.0.0.1:PORT/} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/api/config") && method.equals("GET")) {
                json(exchange, 200, Map.of("webSocketUrl", webSocketUri.toString()));
            } else if (path.equals(BROADCASTS) && method.equals("POST")) {
                startBroadcast(exchange);
            } else if (path.startsWith(BROADCASTS + "/") && method.equals("GET")) {
                audit(exchange, path.substring(BROADCASTS.length() + 1));
            } else if (method.equals("GET")) {
                staticFile(exchange, path.equals("/") ? "/index.html" : path);
            } else {
                json(exchange, 405, Map.of("error", method + " " + path + " is not supported"));
            }
        } catch (RuntimeException e) {
            CliException problem = FailureMessages.describe(e);
            json(exchange, 500, Map.of("error", problem.getMessage()));
        }
    }

    private void startBroadcast(HttpExchange exchange) throws IOException {
        // A page from another origin can send a "simple" cross-origin POST (text/plain) without
        // asking first; requiring JSON forces a CORS preflight, which this server never grants.
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            json(exchange, 415, Map.of("error", "POST " + BROADCASTS + " takes Content-Type: application/json, got " + contentType));
            return;
        }
        JsonNode body;
        try {
            body = JsonCodec.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            json(exchange, 400, Map.of("error", "the request body is not JSON: " + e.getMessage()));
            return;
        }
        JsonNode message = body == null ? null : body.get("message");
        try {
            StartedBroadcast started = new BroadcastStarter(target).start(null, message);
            json(exchange, 202, started);
        } catch (CliException refused) {
            json(exchange, 400, Map.of("error", refused.getMessage()));
        }
    }

    private void audit(HttpExchange exchange, String name) throws IOException {
        try {
            json(exchange, 200, new AuditReader(target).read(name));
        } catch (CliException notFound) {
            json(exchange, 404, Map.of("error", notFound.getMessage()));
        }
    }

    private static void staticFile(HttpExchange exchange, String path) throws IOException {
        var match = STATIC_FILE.matcher(path);
        InputStream file = match.matches() ? LivePageServer.class.getResourceAsStream("/web/" + match.group(1)) : null;
        if (file == null) {
            json(exchange, 404, Map.of("error", "no such page: " + path));
            return;
        }
        try (file) {
            send(exchange, 200, CONTENT_TYPES.get(match.group(2)), file.readAllBytes());
        }
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JsonCodec.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
