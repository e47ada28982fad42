package dev.wsfanout.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.local.lambda.LocalFunction;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the gateway on its own, for trying it with wscat, a browser, curl or the AWS CLI. Every
 * connection is accepted; connects, disconnects and client messages are printed so that their
 * connection ids can be used with the management API.
 *
 * <pre>GatewayMain [--ws-port N] [--management-port N] [--stage NAME] [--rate PER_SECOND BURST]
 *             [--connect-rate PER_SECOND BURST]</pre>
 */
public final class GatewayMain {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE =
            "usage: GatewayMain [--ws-port N] [--management-port N] [--stage NAME] [--rate PER_SECOND BURST]"
                    + " [--connect-rate PER_SECOND BURST]";

    private GatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WebSocketGateway gateway;
        try {
            gateway = configure(args).build().start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("GatewayMain: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("WebSocket:      " + gateway.webSocketUri());
        System.out.println("Management API: " + gateway.managementEndpoint());
        System.out.println("Transport:      " + gateway.transport());
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    static WebSocketGateway.Builder configure(String[] args) {
        WebSocketGateway.Builder builder = WebSocketGateway.builder()
                .connectRoute(printing("$connect", System.out))
                .disconnectRoute(printing("$disconnect", System.out))
                .defaultRoute(printing("$default", System.out))
                .rateLimit(WebSocketGateway.AWS_RATE_PER_SECOND, WebSocketGateway.AWS_BURST)
                .connectRateLimit(WebSocketGateway.AWS_NEW_CONNECTIONS_PER_SECOND, WebSocketGateway.AWS_NEW_CONNECTIONS_BURST);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ws-port" -> builder.webSocketPort(intArg(args, ++i));
                case "--management-port" -> builder.managementPort(intArg(args, ++i));
                case "--stage" -> builder.stage(stringArg(args, ++i));
                case "--rate" -> builder.rateLimit(doubleArg(args, ++i), intArg(args, ++i));
                case "--connect-rate" -> builder.connectRateLimit(doubleArg(args, ++i), intArg(args, ++i));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
        }
        return builder;
    }

    /**
     * A route function that prints a one-line summary of each event (the connection id URL-encoded,
     * ready for a curl path) and accepts it.
     */
    private static LocalFunction printing(String routeKey, PrintStream out) {
        return LocalFunction.ofStream(routeKey, (input, output, context) -> {
            JsonNode event = JSON.readTree(input);
            JsonNode request = event.path("requestContext");
            StringBuilder line = new StringBuilder(String.format("%-12s %s", routeKey,
                    URLEncoder.encode(request.path("connectionId").asText(), StandardCharsets.UTF_8)));
            if (event.hasNonNull("body")) {
                line.append(' ').append(event.get("body").asText());
            }
            if (request.has("disconnectStatusCode")) {
                line.append(' ').append(request.get("disconnectStatusCode").asInt())
                        .append(' ').append(request.path("disconnectReason").asText());
            }
            out.println(line);
            output.write("{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
        }, 16, Duration.ofSeconds(30));
    }

    private static String stringArg(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value; " + USAGE);
        }
        return args[index];
    }

    private static double doubleArg(String[] args, int index) {
        String value = stringArg(args, index);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[index - 1] + " needs a number, was '" + value + "'; " + USAGE);
        }
    }

    private static int intArg(String[] args, int index) {
        String value = stringArg(args, index);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[index - 1] + " needs a whole number, was '" + value + "'; " + USAGE);
        }
    }
}
