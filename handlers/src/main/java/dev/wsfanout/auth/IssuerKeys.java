package dev.wsfanout.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The signing keys of an OIDC issuer (Cognito, Auth0, Okta, Entra ID, ...): its discovery
 * document ({@code {issuer}/.well-known/openid-configuration}) names the JWKS, whose RSA and P-256
 * keys are kept by {@code kid}. An unknown {@code kid} (the issuer rotated its keys) fetches the
 * set again, at most once per {@link #REFRESH_INTERVAL}, so a flood of tokens with made-up kids
 * cannot turn every $connect into a call to the issuer.
 */
public final class IssuerKeys {

    static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(3);
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    /** A verification key and the JWS algorithm it is for. */
    record Key(PublicKey publicKey, String algorithm) {
    }

    private final String issuer;
    private final HttpClient http;
    private final Clock clock;
    private Map<String, Key> keys = Map.of();
    private Instant fetchedAt = Instant.MIN;

    /**
     * @param issuer the {@code iss} its tokens carry; https, or http on loopback (tests)
     */
    public IssuerKeys(String issuer, HttpClient http, Clock clock) {
        URI uri = URI.create(issuer);
        boolean loopback = "http".equals(uri.getScheme()) && uri.getHost() != null
                && (uri.getHost().startsWith("127.") || uri.getHost().equals("localhost"));
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new IllegalArgumentException("JWT_ISSUER must be an https URL, was " + issuer);
        }
        this.issuer = issuer;
        this.http = http;
        this.clock = clock;
    }

    public static IssuerKeys of(String issuer) {
        return new IssuerKeys(issuer, HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build(), Clock.systemUTC());
    }

    public String issuer() {
        return issuer;
    }

    /** The key for {@code kid}, fetching the issuer's set when it is not known yet. */
    synchronized Key key(String kid) throws InvalidTokenException {
        Key key = keys.get(kid);
        if (key == null && !clock.instant().isBefore(fetchedAt.plus(REFRESH_INTERVAL))) {
            keys = fetch();
            fetchedAt = clock.instant();
            key = keys.get(kid);
        }
        if (key == null) {
            throw new InvalidTokenException("the issuer " + issuer + " has no key " + kid);
        }
        return key;
    }

    private Map<String, Key> fetch() throws InvalidTokenException {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        JsonNode discovery = get(URI.create(base + "/.well-known/openid-configuration"));
        JsonNode jwksUri = discovery.get("jwks_uri");
        if (jwksUri == null || !jwksUri.isTextual()) {
            throw new InvalidTokenException("the discovery document of " + issuer + " has no jwks_uri");
        }
        JsonNode set = get(URI.create(jwksUri.asText()));
        Map<String, Key> parsed = new HashMap<>();
        for (JsonNode jwk : set.path("keys")) {
            String kid = jwk.path("kid").asText(null);
            String use = jwk.path("use").asText("sig");
            if (kid == null || !"sig".equals(use)) {
                continue;
            }
            try {
                Key key = switch (jwk.path("kty").asText()) {
                    case "RSA" -> new Key(rsa(jwk), "RS256");
                    case "EC" -> "P-256".equals(jwk.path("crv").asText()) ? new Key(p256(jwk), "ES256") : null;
                    default -> null;
                };
                if (key != null) {
                    parsed.put(kid, key);
                }
            } catch (GeneralSecurityException | IllegalArgumentException unusable) {
                System.err.println("authorizer: skipped key " + kid + " of " + issuer + ": " + unusable);
            }
        }
        return Map.copyOf(parsed);
    }

    private JsonNode get(URI uri) throws InvalidTokenException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new InvalidTokenException("GET " + uri + " answered " + response.statusCode());
            }
            return JsonCodec.readTree(response.body());
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidTokenException("GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidTokenException("interrupted while reading " + uri, e);
        }
    }

    private static PublicKey rsa(JsonNode jwk) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e")));
    }

    private static PublicKey p256(JsonNode jwk) throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
        ECPoint point = new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y"));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, curve));
    }

    private static BigInteger unsigned(JsonNode jwk, String field) {
        return new BigInteger(1, BASE64URL.decode(jwk.path(field).asText()));
    }
}
