package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wsfanout.local.net.LoopbackHost;
import dev.wsfanout.model.JsonCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The live page on loopback: static files from {@code web/} on the classpath, and a small JSON API
 * the page uses to start a broadcast (StartExecution through the stack's SfnClient) and read its
 * audit. The page itself connects to the gateway as an ordinary WebSocket client.
 *
 * <ul>
 *   <li>{@code GET /api/config} → {@code {"webSocketUrl": "ws://127.0.0.1:8080/local", "token": "..."}}</li>
 *   <li>{@code POST /api/broadcasts} with {@code {"message": <any JSON>}} → 202 {@code {"name":..,"executionArn":..}}</li>
 *   <li>{@code GET /api/broadcasts/{name}} → the audit JSON ({@link BroadcastAudit})</li>
 * </ul>
 *
 * <p>Only the page itself may use the API, not another web page the user has open:
 * <ul>
 *   <li>every request (files too) needs a loopback Host ({@link LoopbackHost}), else 403: a page that
 *       reaches this port through DNS rebinding names its own host;</li>
 *   <li>an {@code /api/} request whose {@code Origin} is present and is not the page's own origin
 *       ({@code http://} + the Host asked for) is refused with 403, and so is a {@code GET /api/config}
 *       that the browser marks as coming from another site ({@code Sec-Fetch-Site});</li>
 *   <li>{@code POST /api/broadcasts} and {@code GET /api/broadcasts/{name}} need the per-run token
 *       ({@value #TOKEN_HEADER}), which only {@code GET /api/config} hands out, else 401;</li>
 *   <li>the POST takes only {@code application/json} (a cross-origin page could send a "simple"
 *       text/plain POST without asking first); no CORS header is ever granted, and the page may not be framed.</li>
 * </ul>
 * Refusals of these checks answer {@code {"message": ...}}; the API's own errors {@code {"error": ...}}.
 */
public final class LivePageServer implements AutoCloseable {

    private static final Pattern STATIC_FILE = Pattern.compile("/([a-z0-9-]+\\.(html|js|css|svg))");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private static final String BROADCASTS = "/api/broadcasts";
    /** The request header that carries the per-run token. */
    public static final String TOKEN_HEADER = "X-Wsfanout-Token";
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What a browser sends in Sec-Fetch-Site for the page's own fetch, or for an address typed by the user. */
    private static final Set<String> OWN_FETCH_SITES = Set.of("same-origin", "none");

    private final BroadcastTarget target;
    private final URI webSocketUri;
    private final HttpServer server;
    private final ExecutorService threads;
    private final String token;

    private LivePageServer(BroadcastTarget target, URI webSocketUri, HttpServer server, ExecutorService threads) {
        this.target = target;
        this.webSocketUri = webSocketUri;
        this.server = server;
        this.threads = threads;
        byte[] random = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(random);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
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

    /** This run's token (256 random bits, base64url), which the API wants in {@value #TOKEN_HEADER}. */
    public String token() {
        return token;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Optional<String> refused = refusal(exchange, path, method);
            if (refused.isPresent()) {
                return;
            }
            if (path.equals("/api/config") && method.equals("GET")) {
                Map<String, String> config = new LinkedHashMap<>();
                config.put("webSocketUrl", webSocketUri.toString());
                config.put("token", token);
                json(exchange, 200, config);
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

    /**
     * Answers a request that fails a check of the class comment (Host, Origin, token) and says
     * why; empty when the request may be served.
     */
    private Optional<String> refusal(HttpExchange exchange, String path, String method) throws IOException {
        var headers = exchange.getRequestHeaders();
        Optional<String> foreignHost = LoopbackHost.refusal(headers.get("Host"), "the live page server");
        if (foreignHost.isPresent()) {
            return refuse(exchange, 403, foreignHost.get());
        }
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        String ownOrigin = "http://" + headers.getFirst("Host").trim().toLowerCase(Locale.ROOT);
        List<String> origins = headers.get("Origin");
        if (origins != null && (origins.size() != 1 || !origins.get(0).trim().toLowerCase(Locale.ROOT).equals(ownOrigin))) {
            return refuse(exchange, 403, "the live page API refuses " + method + " " + path + " from Origin "
                    + String.join(", ", origins) + ": only the page itself (" + ownOrigin + ") may call it");
        }
        if (path.equals("/api/config")) {
            String site = headers.getFirst("Sec-Fetch-Site");
            if (site != null && !OWN_FETCH_SITES.contains(site.trim().toLowerCase(Locale.ROOT))) {
                return refuse(exchange, 403, "the live page API refuses GET /api/config from another page (Sec-Fetch-Site: "
                        + site + "): only the page itself (" + ownOrigin + ") may read it");
            }
            return Optional.empty();
        }
        boolean broadcastCall = path.equals(BROADCASTS) && method.equals("POST") || path.startsWith(BROADCASTS + "/") && method.equals("GET");
        if (!broadcastCall) {
            return Optional.empty();
        }
        List<String> given = headers.get(TOKEN_HEADER);
        if (given == null || given.isEmpty() || given.get(0).isEmpty()) {
            return unauthorized(exchange, method + " " + path + " needs this run's token in the " + TOKEN_HEADER
                    + " header (GET /api/config hands it to the page); the request has none");
        }
        if (given.size() != 1 || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.get(0).getBytes(StandardCharsets.UTF_8))) {
            return unauthorized(exchange, method + " " + path + ": the " + TOKEN_HEADER + " header is not this run's token "
                    + "(each start of the page server makes a new one: reload the page)");
        }
        return Optional.empty();
    }

    private static Optional<String> unauthorized(HttpExchange exchange, String message) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", TOKEN_HEADER);
        return refuse(exchange, 401, message);
    }

    private static Optional<String> refuse(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, Map.of("message", message));
        return Optional.of(message);
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
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // Another page may not frame this one and click its form.
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Content-Security-Policy", "frame-ancestors 'none'");
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
