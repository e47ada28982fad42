package dev.wsfanout.local.dynamo;

import dev.wsfanout.local.ProjectHome;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The DynamoDB stand-in: a dynalite process (npm package pinned in the repository's
 * package.json) listening on loopback. It is started through {@code tools/dynalite-server.js},
 * which prints the port it got and exits as soon as its stdin closes — this JVM holds that pipe,
 * so the server never outlives the process that started it, even after a kill -9.
 */
public final class DynaliteServer implements AutoCloseable {

    private static final String PORT_LINE = "DYNALITE_PORT=";

    private final Process process;
    private final URI endpoint;

    private DynaliteServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts dynalite on a free loopback port. */
    public static DynaliteServer start() {
        return start(0);
    }

    /** Starts dynalite on {@code port} (0 = any free port). */
    public static DynaliteServer start(int port) {
        Path home = ProjectHome.locate();
        Path script = home.resolve("tools/dynalite-server.js");
        if (!Files.isDirectory(home.resolve("node_modules/dynalite"))) {
            throw new IllegalStateException("dynalite is not installed under " + home
                    + "/node_modules: run `npm ci` in " + home + " first");
        }
        List<String> command = new ArrayList<>(List.of("node", script.toString(), Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node (is Node.js installed and on PATH?): " + e.getMessage(), e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line = out.readLine();
            if (line == null || !line.startsWith(PORT_LINE)) {
                process.destroyForcibly();
                waitFor(process, Duration.ofSeconds(5));
                throw new IllegalStateException("dynalite did not start on port " + port
                        + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")")
                        + (line == null ? "" : ": " + line));
            }
            int actual = Integer.parseInt(line.substring(PORT_LINE.length()).trim());
            return new DynaliteServer(process, URI.create("http://127.0.0.1:" + actual));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("reading dynalite's port", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the pipe is already gone: the process is exiting anyway
        }
        if (!waitFor(process, Duration.ofSeconds(5))) {
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(5));
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
