package dev.wsfanout.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.ConnectAuth;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a token opens the door. The algorithm picks the key source and each source
 * accepts only its own algorithms, so an attacker cannot sign an HS256 token with an issuer's
 * public key, and {@code alg: none} never passes. Then the issuer, the audience, the times
 * (with {@link ConnectAuth#CLOCK_SKEW}) and the subject are checked.
 */
public final class TokenVerifier {

    private static final int MAX_SUBJECT_LENGTH = 256;

    private final SharedSecretTokens ownTokens;
    private final Optional<IssuerKeys> issuer;
    private final String issuerAudience;
    private final Clock clock;

    /**
     * @param issuer         an OIDC issuer whose JWTs are accepted too, or empty
     * @param issuerAudience the {@code aud} (or {@code client_id}) those JWTs must carry; ignored without an issuer
     */
    public TokenVerifier(SharedSecretTokens ownTokens, Optional<IssuerKeys> issuer, String issuerAudience, Clock clock) {
        if (issuer.isPresent() && (issuerAudience == null || issuerAudience.isBlank())) {
            throw new IllegalArgumentException(ConnectAuth.JWT_AUDIENCE + " is required with " + ConnectAuth.JWT_ISSUER
                    + " (" + issuer.get().issuer() + "): without it any client of that issuer could connect");
        }
        this.ownTokens = ownTokens;
        this.issuer = issuer;
        this.issuerAudience = issuerAudience;
        this.clock = clock;
    }

    public VerifiedToken verify(String token) throws InvalidTokenException {
        CompactJwt jwt = CompactJwt.parse(token);
        String algorithm = jwt.algorithm();
        if (SharedSecretTokens.ALGORITHM.equals(algorithm)) {
            if (!ownTokens.signatureMatches(jwt)) {
                throw new InvalidTokenException("bad signature");
            }
            return checkClaims(jwt.claims(), ConnectAuth.TOKEN_ISSUER, ownTokens.audience(), true);
        }
        if (("RS256".equals(algorithm) || "ES256".equals(algorithm)) && issuer.isPresent()) {
            IssuerKeys keys = issuer.get();
            String kid = jwt.keyId();
            if (kid == null) {
                throw new InvalidTokenException("no kid in the token's header");
            }
            IssuerKeys.Key key = keys.key(kid);
            if (!key.algorithm().equals(algorithm)) {
                throw new InvalidTokenException("key " + kid + " is for " + key.algorithm() + ", the token says " + algorithm);
            }
            if (!signatureMatches(jwt, key)) {
                throw new InvalidTokenException("bad signature");
            }
            return checkClaims(jwt.claims(), keys.issuer(), issuerAudience, false);
        }
        throw new InvalidTokenException("algorithm '" + algorithm + "' is not accepted");
    }

    private static boolean signatureMatches(CompactJwt jwt, IssuerKeys.Key key) throws InvalidTokenException {
        try {
            // JWS carries ECDSA signatures as r||s (RFC 7518 §3.4), the JDK's P1363 format.
            Signature verifier = Signature.getInstance("RS256".equals(key.algorithm()) ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
            verifier.initVerify(key.publicKey());
            verifier.update(jwt.signingInput());
            return verifier.verify(jwt.signature());
        } catch (GeneralSecurityException malformed) {
            throw new InvalidTokenException("the signature cannot be checked: " + malformed.getMessage(), malformed);
        }
    }

    private VerifiedToken checkClaims(JsonNode claims, String expectedIssuer, String expectedAudience, boolean own)
            throws InvalidTokenException {
        String iss = claims.path("iss").asText(null);
        if (!expectedIssuer.equals(iss)) {
            throw new InvalidTokenException("issuer " + iss + ", expected " + expectedIssuer);
        }
        if (!audienceMatches(claims, expectedAudience, own)) {
            throw new InvalidTokenException("audience " + claims.get("aud") + ", expected " + expectedAudience);
        }
        Instant now = clock.instant();
        long skew = ConnectAuth.CLOCK_SKEW.getSeconds();
        long exp = seconds(claims, "exp", true);
        if (now.getEpochSecond() >= exp + skew) {
            throw new InvalidTokenException("expired at " + Instant.ofEpochSecond(exp));
        }
        long nbf = seconds(claims, "nbf", false);
        if (nbf != Long.MIN_VALUE && now.getEpochSecond() + skew < nbf) {
            throw new InvalidTokenException("not valid before " + Instant.ofEpochSecond(nbf));
        }
        if (own) {
            long iat = seconds(claims, "iat", true);
            if (iat > now.getEpochSecond() + skew) {
                throw new InvalidTokenException("issued in the future, at " + Instant.ofEpochSecond(iat));
            }
            if (exp - iat > ConnectAuth.MAX_TOKEN_LIFETIME.getSeconds()) {
                throw new InvalidTokenException("lifetime of " + (exp - iat) + " s, more than "
                        + ConnectAuth.MAX_TOKEN_LIFETIME.getSeconds());
            }
        }
        String subject = claims.path("sub").asText("");
        if (subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw new InvalidTokenException("no usable sub (1 to " + MAX_SUBJECT_LENGTH + " characters)");
        }
        return new VerifiedToken(subject, expectedIssuer);
    }

    /** {@code aud} is a string or an array (RFC 7519 §4.1.3); Cognito access tokens carry {@code client_id} instead. */
    private static boolean audienceMatches(JsonNode claims, String expected, boolean own) {
        JsonNode aud = claims.get("aud");
        if (aud != null && aud.isTextual()) {
            return expected.equals(aud.asText());
        }
        if (aud != null && aud.isArray()) {
            for (JsonNode one : aud) {
                if (expected.equals(one.asText())) {
                    return true;
                }
            }
            return false;
        }
        return !own && aud == null && expected.equals(claims.path("client_id").asText(null));
    }

    private static long seconds(JsonNode claims, String name, boolean required) throws InvalidTokenException {
        JsonNode value = claims.get(name);
        if (value == null) {
            if (required) {
                throw new InvalidTokenException("no " + name + " claim");
            }
            return Long.MIN_VALUE;
        }
        if (!value.isNumber()) {
            throw new InvalidTokenException("the " + name + " claim is not a number");
        }
        return value.asLong();
    }
}
