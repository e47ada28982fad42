package dev.wsfanout.cli;

import dev.wsfanout.auth.SharedSecretTokens;
import dev.wsfanout.model.ConnectAuth;
import dev.wsfanout.stack.LocalDeployment;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** WebSocket URLs that carry a connect token ({@code ...?token=...}) when the stack's $connect needs one. */
public final class ConnectUrls {

    /**
     * What the live page and the demo's clients get: long enough for a session at the page; the
     * stack's secret dies with the run anyway.
     */
    static final Duration LOCAL_SESSION = ConnectAuth.MAX_TOKEN_LIFETIME;

    private ConnectUrls() {
    }

    /** The stack's WebSocket URL, with a token for {@code subject} when $connect has the authorizer. */
    public static URI of(LocalDeployment stack, String subject) {
        return stack.connectTokens()
                .map(tokens -> withToken(stack.gateway().webSocketUri(), tokens.mint(subject, LOCAL_SESSION, Instant.now())))
                .orElse(stack.gateway().webSocketUri());
    }

    public static URI withToken(URI webSocketUri, String token) {
        String separator = webSocketUri.getQuery() == null ? "?" : "&";
        return URI.create(webSocketUri + separator + ConnectAuth.TOKEN_QUERY_PARAMETER + "="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** A fresh HS256 key for one local run: 256 random bits, base64url. */
    public static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** The signer of a running stack's tokens, or null when its $connect is open. */
    static SharedSecretTokens tokensOf(RunningStack stack) {
        return stack.connectTokenSecret() == null ? null
                : new SharedSecretTokens(stack.connectTokenSecret().getBytes(StandardCharsets.UTF_8), ConnectAuth.DEFAULT_AUDIENCE);
    }
}
