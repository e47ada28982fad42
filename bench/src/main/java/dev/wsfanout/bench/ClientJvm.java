package dev.wsfanout.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * One client JVM of the benchmarks, started from this JVM's own classpath: real sockets live in
 * their own processes because one process may hold 20,000 open files and a loopback connection
 * costs two. Talked to one line at a time: commands on its stdin, answers on its stdout, each
 * answer starting with its kind ({@code ERROR text} for a failure).
 */
final class ClientJvm {

    static final String ERROR = "ERROR";

    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader replies;

    private ClientJvm(Process process) {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code main} with {@code args}; its stderr is discarded (the protocol is all the caller reads). */
    static ClientJvm start(Class<?> main, List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        try {
            return new ClientJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a client JVM (" + java + "): " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    void send(String command) {
        commands.println(command);
    }

    /**
     * Reads up to the next line of kind {@code expected} and returns it whole.
     *
     * @throws IllegalStateException with the JVM's error, or when it exits before answering
     */
    String await(String expected) {
        try {
            String line;
            while ((line = replies.readLine()) != null) {
                if (line.startsWith(expected + " ")) {
                    return line;
                }
                if (line.startsWith(ERROR + " ")) {
                    throw new IllegalStateException("client JVM " + pid() + ": " + line.substring(ERROR.length() + 1));
                }
            }
            throw new IllegalStateException("client JVM " + pid() + " exited before answering " + expected);
        } catch (IOException e) {
            throw new UncheckedIOException("reading client JVM " + pid(), e);
        }
    }

    /**
     * Sends {@code command} to every JVM at once, reads each one's {@code answer} line in
     * parallel (a JVM may take its time, e.g. waiting for receipts) and sums what {@code parse}
     * makes of them, starting from {@code none}.
     */
    static <T> T askAll(List<ClientJvm> jvms, String command, String answer, Function<String, T> parse, T none,
                        BinaryOperator<T> plus) {
        List<CompletableFuture<T>> replies = new ArrayList<>();
        for (ClientJvm jvm : jvms) {
            replies.add(CompletableFuture.supplyAsync(() -> {
                jvm.send(command);
                return parse.apply(jvm.await(answer));
            }));
        }
        T all = none;
        for (CompletableFuture<T> reply : replies) {
            all = plus.apply(all, reply.join());
        }
        return all;
    }

    /** Tells every JVM to exit, then waits for each, killing those that have not exited within 10 s. */
    static void exitAll(List<ClientJvm> jvms) {
        for (ClientJvm jvm : jvms) {
            jvm.send("EXIT");
        }
        for (ClientJvm jvm : jvms) {
            jvm.awaitExit();
        }
    }

    private void awaitExit() {
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
