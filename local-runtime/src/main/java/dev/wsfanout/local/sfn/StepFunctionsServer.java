package dev.wsfanout.local.sfn;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wsfanout.local.net.LoopbackHost;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.UUID;

/**
 * {@link LocalStepFunctions} behind the Step Functions wire protocol (AWS JSON 1.0: POST /,
 * X-Amz-Target: AWSStepFunctions.&lt;Operation&gt;, errors as 400 with {"__type", "message"}) on
 * loopback, so the real SfnClient (endpointOverride) and {@code aws stepfunctions --endpoint-url}
 * work against it.
 *
 * <p>A request whose Host header does not name a loopback address ({@link LoopbackHost}: what DNS
 * rebinding sends) is refused with 403 {@code {"__type": "AccessDeniedException", "message": ...}}
 * before anything else is looked at.
 */
public final class StepFunctionsServer implements AutoCloseable {

    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    /** The error type of a refused Host: the one AWS JSON services answer a denied request with. */
    static final String ACCESS_DENIED = "AccessDeniedException";

    private final StepFunctionsApi api;
    private final int requestedPort;
    private HttpServer server;
    private ExecutorService threads;

    /** @param port 0 for a free port */
    public StepFunctionsServer(LocalStepFunctions service, int port) {
        this.api = new StepFunctionsApi(service);
        this.requestedPort = port;
    }

    public synchronized StepFunctionsServer start() {
        if (server != null) {
            throw new IllegalStateException("already started on " + endpoint());
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + requestedPort, e);
        }
        threads = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "sfn-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::exchange);
        server.start();
        return this;
    }

    /** http://127.0.0.1:&lt;port&gt; */
    public synchronized URI endpoint() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            Map<String, Object> body;
            Optional<String> foreignHost = LoopbackHost.refusal(exchange.getRequestHeaders().get("Host"),
                    "the local Step Functions server");
            try {
                if (foreignHost.isPresent()) {
                    status = 403;
                    body = error(ACCESS_DENIED, foreignHost.get());
                } else {
                    body = dispatch(exchange);
                }
            } catch (StepFunctionsException e) {
                status = 400;
                body = error(e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                body = error("InternalFailure", "local Step Functions failed: " + e);
            }
            byte[] bytes = Json.writeBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            if (status != 200) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", String.valueOf(body.get("__type")));
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Map<String, Object> dispatch(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw new StepFunctionsException("UnknownOperationException", "Step Functions takes POST /, not "
                    + exchange.getRequestMethod() + " " + exchange.getRequestURI());
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new StepFunctionsException("UnknownOperationException", "missing or foreign X-Amz-Target header: " + target
                    + " (expected " + TARGET_PREFIX + "<Operation>)");
        }
        String text;
        try (InputStream in = exchange.getRequestBody()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Object request;
        try {
            request = text.isBlank() ? new LinkedHashMap<>() : Json.parse(text, "request body");
        } catch (IllegalArgumentException e) {
            throw new StepFunctionsException("SerializationException", e.getMessage());
        }
        if (!(request instanceof Map)) {
            throw new StepFunctionsException("SerializationException", "request body must be a JSON object");
        }
        return api.handle(target.substring(TARGET_PREFIX.length()), Json.asObject(request));
    }

    private static Map<String, Object> error(String type, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", type);
        body.put("message", message);
        return body;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            threads.shutdownNow();
            server = null;
        }
    }
}
