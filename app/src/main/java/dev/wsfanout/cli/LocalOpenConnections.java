package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The ids of the connections a running {@code wsfanout local} has open, from its management API's
 * emulator-only {@code GET /STAGE/@local/connections} (there is no such call on AWS).
 */
final class LocalOpenConnections {

    static final String PATH = "/@local/connections";

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param managementEndpoint {@code http://127.0.0.1:PORT/STAGE}, as the state file has it */
    LocalOpenConnections(URI managementEndpoint) {
        this.uri = URI.create(managementEndpoint.toString().replaceAll("/+$", "") + PATH);
    }

    Set<String> ids() {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException(CliException.FAILED, "cannot reach the local stack's management API at " + uri
                    + ": is `./wsfanout local` still running?", e);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted while reading " + uri, e);
        }
        if (response.statusCode() != 200) {
            throw new CliException(CliException.FAILED, "GET " + uri + " answered " + response.statusCode()
                    + ": the local stack predates `census`; restart `./wsfanout local`");
        }
        JsonNode list;
        try {
            list = JsonCodec.readTree(response.body()).get("connectionIds");
        } catch (IllegalArgumentException e) {
            list = null;
        }
        if (list == null || !list.isArray()) {
            throw new CliException(CliException.FAILED, "GET " + uri + " did not answer {\"connectionIds\":[...]}");
        }
        Set<String> ids = new HashSet<>(list.size() * 2);
        list.forEach(id -> ids.add(id.asText()));
        return ids;
    }
}
