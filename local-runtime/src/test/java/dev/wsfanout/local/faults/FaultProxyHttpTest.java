package dev.wsfanout.local.faults;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * HTTP/1.1 on the wire, against an upstream that records what reaches it: exact forwarding, keep-alive,
 * pipelining and {@code Connection: close}.
 */
class FaultProxyHttpTest {

    private record Received(String method, String uri, Map<String, String> headers, byte[] body) {
    }

    private record Response(int status, Map<String, String> headers, byte[] body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer upstream;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
            exchange.getResponseHeaders().set("x-upstream", "yes");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()), FaultPlan.none());
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.stop(0);
    }

    @Test
    void methodPathQueryHeadersAndBodyBytesReachTheUpstreamAndItsAnswerComesBack() throws IOException {
        byte[] body = "{\"TableName\":\"t\",\"x\":\"\u00e9\u00e8\"}".getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect()) {
            write(socket, request("POST", "/some/path?a=1&b=2", "DynamoDB_20120810.PutItem", body, "X-Custom: kept\r\n"));

            Response response = read(socket.getInputStream());

            assertEquals(200, response.status());
            assertEquals("yes", response.headers().get("x-upstream"));
            assertArrayEquals(body, response.body());
        }
        Received request = received.get(0);
        assertEquals("POST", request.method());
        assertEquals("/some/path?a=1&b=2", request.uri());
        assertEquals("kept", request.headers().get("x-custom"));
        assertEquals("DynamoDB_20120810.PutItem", request.headers().get("x-amz-target"));
        assertArrayEquals(body, request.body());
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws IOException {
        proxy.plan(FaultPlan.builder().rule(FaultRule.builder().service(AwsService.SQS).nth(2).fault(FaultKind.THROTTLE).build()).build());
        try (Socket socket = connect()) {
            ByteArrayOutputStream three = new ByteArrayOutputStream();
            for (String body : List.of("one", "two", "three")) {
                three.write(request("POST", "/", "AmazonSQS.SendMessage", body.getBytes(StandardCharsets.UTF_8), ""));
            }
            write(socket, three.toByteArray());
            InputStream in = socket.getInputStream();

            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Response response = read(in);
                answers.add(response.status() + " " + new String(response.body(), StandardCharsets.UTF_8));
            }

            assertEquals(List.of("200 one",
                    "400 {\"__type\":\"com.amazonaws.sqs#RequestThrottled\",\"message\":\"Request is throttled.\"}",
                    "200 three"), answers);
        }
    }

    @Test
    void connectionCloseIsHonouredForForwardedAndFaultedRequests() throws IOException {
        proxy.plan(FaultPlan.builder().rule(FaultRule.builder().service(AwsService.DYNAMODB).operation("GetItem")
                .fault(FaultKind.SERVER_ERROR).build()).build());
        for (String operation : List.of("PutItem", "GetItem")) {
            try (Socket socket = connect()) {
                write(socket, request("POST", "/", "DynamoDB_20120810." + operation, "{}".getBytes(StandardCharsets.UTF_8),
                        "Connection: close\r\n"));
                InputStream in = socket.getInputStream();

                read(in);

                assertEquals(-1, in.read(), operation + ": the proxy closes the connection after its answer");
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.endpoint().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] request(String method, String uri, String target, byte[] body, String extraHeaders) {
        String head = method + " " + uri + " HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/x-amz-json-1.0\r\n"
                + "X-Amz-Target: " + target + "\r\nContent-Length: " + body.length + "\r\n" + extraHeaders + "\r\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(body);
        return bytes.toByteArray();
    }

    private static void write(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** One response with a Content-Length body, which is all the proxy and this upstream send. */
    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
