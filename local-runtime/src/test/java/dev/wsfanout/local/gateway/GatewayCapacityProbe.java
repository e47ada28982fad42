package dev.wsfanout.local.gateway;

import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.local.lambda.LocalFunction;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures (does not assert) what one gateway JVM holds and serves: it starts a gateway, has a
 * second JVM open {@code sockets} real WebSocket connections to it over loopback, then posts to
 * them through the SDK's async management client at several concurrencies and reports posts/s.
 * Not a test (surefire skips it); the command is in docs/gateway.md.
 *
 * <pre>GatewayCapacityProbe [sockets (default 15000)] [seconds per concurrency (default 5)]</pre>
 */
public final class GatewayCapacityProbe {

    private static final int[] CONCURRENCIES = {8, 32, 128, 512};
    private static final int CONNECTS_IN_FLIGHT = 200;
    private static final int VIRTUAL_CONNECTIONS = 600_000;

    private GatewayCapacityProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("clients")) {
            holdClients(URI.create(args[1]), Integer.parseInt(args[2]));
            return;
        }
        int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 15_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Queue<String> ids = new ConcurrentLinkedQueue<>();
        try (LocalFunction connect = LocalFunction.ofStream("connect", (in, out, context) -> {
                 String event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                 int at = event.indexOf("\"connectionId\":\"") + 16;
                 ids.add(event.substring(at, event.indexOf('"', at)));
                 out.write("{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
             }, 64, Duration.ofSeconds(30));
             WebSocketGateway gateway = WebSocketGateway.builder().connectRoute(connect).build().start()) {
            Process clients = startClients(gateway.webSocketUri(), sockets);
            BufferedReader clientOutput = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
            long started = System.nanoTime();
            String line;
            while ((line = clientOutput.readLine()) != null && !line.startsWith("open ") && !line.startsWith("failed")) {
                System.out.println("  clients: " + line);
            }
            System.out.printf("client JVM: %s after %.1f s%n", line, (System.nanoTime() - started) / 1e9);
            GatewayCounters held = gateway.counters();
            System.out.printf("gateway JVM (%s) holds %d real connections, %d open files (limit %s), heap used %d MB%n",
                    gateway.transport(), held.realConnectionsOpen(), openFiles(), fileLimit(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);

            List<String> real = new ArrayList<>(ids);
            // The JIT and the SDK's connection pool warm up first, so the first row is not a cold start.
            measurePosts(gateway, "warm-up     ", real, 32, 2);
            for (int concurrency : CONCURRENCIES) {
                measurePosts(gateway, "real sockets", real, concurrency, seconds);
            }
            long registering = System.nanoTime();
            List<String> virtual = gateway.registerVirtualConnections(VIRTUAL_CONNECTIONS);
            System.gc();
            System.out.printf("registered %d virtual connections through $connect in %.1f s; heap used %d MB%n",
                    virtual.size(), (System.nanoTime() - registering) / 1e9,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            measurePosts(gateway, "virtual     ", virtual, 128, seconds);

            OutputStream stop = clients.getOutputStream();
            stop.close();
            while ((line = clientOutput.readLine()) != null) {
                System.out.println("client JVM: " + line);
            }
            clients.waitFor(30, TimeUnit.SECONDS);
            System.out.println("gateway counters: " + gateway.counters());
            System.out.println("load average (2 cores, shared): " + Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    private static void measurePosts(WebSocketGateway gateway, String target, List<String> ids, int concurrency, int seconds)
            throws InterruptedException {
        try (ApiGatewayManagementApiAsyncClient api = ApiGatewayManagementApiAsyncClient.builder()
                .endpointOverride(gateway.managementEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency))
                .overrideConfiguration(config -> config.retryStrategy(retry -> retry.maxAttempts(1)))
                .build()) {
            Semaphore inFlight = new Semaphore(concurrency);
            AtomicLong ok = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            SdkBytes message = SdkBytes.fromUtf8String("{\"type\":\"probe\",\"text\":\"hello from the capacity probe\"}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long started = System.nanoTime();
            int next = 0;
            while (System.nanoTime() < deadline) {
                inFlight.acquire();
                String id = ids.get(next++ % ids.size());
                api.postToConnection(post -> post.connectionId(id).data(message)).whenComplete((response, error) -> {
                    (error == null ? ok : failed).incrementAndGet();
                    inFlight.release();
                });
            }
            inFlight.acquire(concurrency);
            double elapsed = (System.nanoTime() - started) / 1e9;
            System.out.printf("%s concurrency %4d: %8.0f posts/s (%d ok, %d failed in %.1f s)%n",
                    target, concurrency, ok.get() / elapsed, ok.get(), failed.get(), elapsed);
        }
    }

    private static Process startClients(URI webSocketUri, int sockets) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx3g", "-cp", System.getProperty("java.class.path"),
                GatewayCapacityProbe.class.getName(), "clients", webSocketUri.toString(), String.valueOf(sockets))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** The client side, in its own JVM: opens the sockets, counts messages, exits when stdin closes. */
    private static void holdClients(URI uri, int sockets) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicLong received = new AtomicLong();
        AtomicInteger open = new AtomicInteger();
        Semaphore connecting = new Semaphore(CONNECTS_IN_FLIGHT);
        Queue<WebSocket> held = new ConcurrentLinkedQueue<>();
        WebSocket.Listener counting = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                if (last) {
                    received.incrementAndGet();
                }
                socket.request(1);
                return null;
            }
        };
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < sockets && failures.isEmpty(); i++) {
            connecting.acquire();
            http.newWebSocketBuilder().buildAsync(uri, counting).whenComplete((socket, error) -> {
                if (error == null) {
                    held.add(socket);
                    open.incrementAndGet();
                } else {
                    failures.add(error.toString());
                }
                connecting.release();
            });
            if ((i + 1) % 5000 == 0) {
                System.out.println("progress " + (i + 1));
            }
        }
        connecting.acquire(CONNECTS_IN_FLIGHT);
        System.out.println(failures.isEmpty()
                ? "open " + open.get() + " (" + openFiles() + " open files)"
                : "failed after " + open.get() + " sockets: " + failures.peek());
        System.in.read();
        System.out.println("received " + received.get() + " messages on " + held.size() + " sockets");
        System.exit(0);
    }

    private static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (Exception unavailable) {
            return -1;
        }
    }

    private static String fileLimit() {
        try {
            return Files.readAllLines(new File("/proc/self/limits").toPath()).stream()
                    .filter(limit -> limit.startsWith("Max open files"))
                    .map(limit -> limit.replaceAll("\\s+", " ").split(" ")[3])
                    .findFirst().orElse("?");
        } catch (Exception unavailable) {
            return "?";
        }
    }
}
