package dev.wsfanout.local.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that collects the whole text messages it receives and how it was closed. */
public final class RecordingClient implements WebSocket.Listener {

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    /** Connects to {@code uri}; completes exceptionally when the upgrade is refused. */
    public static CompletableFuture<RecordingClient> connect(HttpClient http, URI uri) {
        RecordingClient client = new RecordingClient();
        return http.newWebSocketBuilder().buildAsync(uri, client).thenApply(socket -> {
            client.socket = socket;
            return client;
        });
    }

    public WebSocket socket() {
        return socket;
    }

    /** The next whole text message, or fails after 10 seconds. */
    public String nextMessage() throws InterruptedException {
        String message = messages.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message arrived within 10 s");
        }
        return message;
    }

    public boolean hasMessage() {
        return !messages.isEmpty();
    }

    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }
}
