package dev.wsfanout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.ProjectHome;
import dev.wsfanout.model.JsonCodec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The JavaScript client library's fleet (clients/js/bench/reconnect-fleet.mjs) in a Node process,
 * driven over its stdin and stdout lines: {@code ready}, {@code stats}, {@code finish}, {@code result}.
 * Its progress goes to this process's stderr.
 */
final class NodeFleet implements AutoCloseable {

    static final String SCRIPT = "clients/js/bench/reconnect-fleet.mjs";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private NodeFleet(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("error " + e);
            }
        }, "node-fleet-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static NodeFleet start(URI url, int clients, Duration ramp) {
        Path script = ProjectHome.locate().resolve(SCRIPT);
        ProcessBuilder builder = new ProcessBuilder("node", script.toString(), "--url", url.toString(),
                "--clients", Integer.toString(clients), "--ramp-ms", Long.toString(ramp.toMillis()))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            return new NodeFleet(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + script + " (the reconnect run needs Node 20)", e);
        }
    }

    /** Waits for the {@code ready} line: every client open and its baseline known. */
    JsonNode awaitReady(Duration timeout) {
        return awaitLine("ready", timeout);
    }

    JsonNode stats(Duration timeout) {
        send("stats");
        return awaitLine("stats", timeout);
    }

    /** Tells the fleet which numbers were broadcast and waits for its verdict. */
    JsonNode finish(List<Long> expected, Duration deliveryTimeout) {
        send("finish " + deliveryTimeout.toMillis() + " " + expected.stream().map(String::valueOf).collect(Collectors.joining(",")));
        return awaitLine("result", deliveryTimeout.plusSeconds(30));
    }

    private void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the Node fleet stopped reading its commands", e);
        }
    }

    private JsonNode awaitLine(String kind, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("the Node fleet sent no '" + kind + "' line within " + timeout.toSeconds()
                            + " s" + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
                }
                if (line.startsWith(kind + " ")) {
                    return JsonCodec.readTree(line.substring(kind.length() + 1));
                }
                System.err.println("node fleet: " + line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Node fleet", e);
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process is stopped below either way
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
