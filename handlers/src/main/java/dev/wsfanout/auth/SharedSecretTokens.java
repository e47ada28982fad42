package dev.wsfanout.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsfanout.model.ConnectAuth;
import dev.wsfanout.model.JsonCodec;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * wsfanout's own tokens: HS256 JWTs signed with the stack's secret, issuer
 * {@link ConnectAuth#TOKEN_ISSUER}, one audience per stack. Minted by {@code wsfanout token} (or
 * by the application's backend, which holds the same secret), checked by the authorizer.
 */
public final class SharedSecretTokens {

    static final String ALGORITHM = "HS256";
    /** RFC 7518 §3.2: an HS256 key must be at least as long as the hash. */
    static final int MIN_SECRET_BYTES = 32;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final String audience;

    public SharedSecretTokens(byte[] secret, String audience) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the token secret has " + secret.length + " bytes; HS256 needs at least "
                    + MIN_SECRET_BYTES);
        }
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("the token audience must not be blank");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.audience = audience;
    }

    public String audience() {
        return audience;
    }

    /**
     * A token for {@code subject}, valid from {@code now} for {@code lifetime}.
     *
     * @throws IllegalArgumentException if the subject is blank or the lifetime is not within
     *                                  (0, {@link ConnectAuth#MAX_TOKEN_LIFETIME}]: the authorizer would refuse it
     */
    public String mint(String subject, Duration lifetime, Instant now) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a token needs a subject (who connects)");
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(ConnectAuth.MAX_TOKEN_LIFETIME) > 0) {
            throw new IllegalArgumentException("a token's lifetime must be more than 0 and at most "
                    + ConnectAuth.MAX_TOKEN_LIFETIME.toHours() + " h, was " + lifetime);
        }
        ObjectNode header = JsonCodec.mapper().createObjectNode().put("alg", ALGORITHM).put("typ", "JWT");
        ObjectNode claims = JsonCodec.mapper().createObjectNode()
                .put("iss", ConnectAuth.TOKEN_ISSUER)
                .put("aud", audience)
                .put("sub", subject)
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(lifetime).getEpochSecond());
        String signingInput = encode(JsonCodec.write(header)) + "." + encode(JsonCodec.write(claims));
        return signingInput + "." + BASE64URL.encodeToString(sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    boolean signatureMatches(CompactJwt jwt) {
        return MessageDigest.isEqual(sign(jwt.signingInput()), jwt.signature());
    }

    private byte[] sign(byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
