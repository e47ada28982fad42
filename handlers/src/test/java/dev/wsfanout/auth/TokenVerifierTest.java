package dev.wsfanout.auth;

import com.sun.net.httpserver.HttpServer;
import dev.wsfanout.model.ConnectAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens against the verifier; the issuer's discovery document and JWKS are served over real HTTP on loopback. */
class TokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SharedSecretTokens own = new SharedSecretTokens(SECRET, "stack-a");
    private HttpServer issuerServer;
    private String issuer;
    private KeyPair rsa;
    private KeyPair ec;
    private final AtomicInteger jwksFetches = new AtomicInteger();

    @BeforeEach
    void startIssuer() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(256);
        ec = ecGenerator.generateKeyPair();
        issuerServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + issuerServer.getAddress().getPort() + "/pool-1";
        issuerServer.createContext("/pool-1/.well-known/openid-configuration", exchange ->
                respond(exchange, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks.json\"}"));
        issuerServer.createContext("/pool-1/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            respond(exchange, jwks());
        });
        issuerServer.start();
    }

    @AfterEach
    void stopIssuer() {
        issuerServer.stop(0);
    }

    @Test
    void ownTokenIsAcceptedWithItsSubject() throws Exception {
        String token = own.mint("user-42", Duration.ofMinutes(15), NOW);
        VerifiedToken verified = verifierAt(NOW.plusSeconds(60)).verify(token);
        assertEquals("user-42", verified.subject());
        assertEquals(ConnectAuth.TOKEN_ISSUER, verified.source());
    }

    @Test
    void missingMalformedExpiredForgedAndForeignTokensAreRefused() {
        TokenVerifier verifier = verifierAt(NOW);
        assertRefused(verifier, null, "no token");
        assertRefused(verifier, "not-a-token", "3");
        assertRefused(verifier, own.mint("u", Duration.ofMinutes(1), NOW.minusSeconds(3600)), "expired");
        String otherKey = new SharedSecretTokens("another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), "stack-a")
                .mint("u", Duration.ofMinutes(5), NOW);
        assertRefused(verifier, otherKey, "bad signature");
        String otherStack = new SharedSecretTokens(SECRET, "stack-b").mint("u", Duration.ofMinutes(5), NOW);
        assertRefused(verifier, otherStack, "audience");
    }

    @Test
    void expiryHonoursTheClockSkewAndNothingMore() {
        String token = own.mint("u", Duration.ofMinutes(5), NOW);
        Instant exp = NOW.plus(Duration.ofMinutes(5));
        assertTrue(accepts(verifierAt(exp.plus(ConnectAuth.CLOCK_SKEW).minusSeconds(1)), token));
        assertRefused(verifierAt(exp.plus(ConnectAuth.CLOCK_SKEW)), token, "expired");
    }

    @Test
    void unsignedAndTamperedTokensAreRefused() {
        TokenVerifier verifier = verifierAt(NOW);
        String token = own.mint("user-1", Duration.ofMinutes(5), NOW);
        String[] parts = token.split("\\.");
        String none = B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        assertRefused(verifier, none, "'none' is not accepted");
        String admin = B64.encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("user-1", "admin").getBytes(StandardCharsets.UTF_8));
        assertRefused(verifier, parts[0] + "." + admin + "." + parts[2], "bad signature");
    }

    @Test
    void aLifetimeBeyondTheMaximumIsRefusedEvenWhenSigned() throws Exception {
        String longLived = hs256("{\"iss\":\"wsfanout\",\"aud\":\"stack-a\",\"sub\":\"u\",\"iat\":" + NOW.getEpochSecond()
                + ",\"exp\":" + NOW.plus(Duration.ofDays(30)).getEpochSecond() + "}");
        assertRefused(verifierAt(NOW), longLived, "lifetime");
        assertThrows(IllegalArgumentException.class, () -> own.mint("u", Duration.ofDays(2), NOW));
    }

    @Test
    void issuerTokensAreCheckedAgainstItsPublishedKeys() throws Exception {
        TokenVerifier verifier = verifierAt(NOW);
        String claims = "{\"iss\":\"" + issuer + "\",\"aud\":\"app-client\",\"sub\":\"alice\",\"exp\":" + (NOW.getEpochSecond() + 600) + "}";
        assertEquals(new VerifiedToken("alice", issuer), verifier.verify(signed("RS256", "rsa-1", rsa.getPrivate(), claims)));
        assertEquals("alice", verifier.verify(signed("ES256", "ec-1", ec.getPrivate(), claims)).subject());

        String cognitoAccess = "{\"iss\":\"" + issuer + "\",\"client_id\":\"app-client\",\"sub\":\"bob\",\"exp\":" + (NOW.getEpochSecond() + 600) + "}";
        assertEquals("bob", verifier.verify(signed("RS256", "rsa-1", rsa.getPrivate(), cognitoAccess)).subject());

        String wrongAudience = claims.replace("app-client", "another-app");
        assertRefused(verifier, signed("RS256", "rsa-1", rsa.getPrivate(), wrongAudience), "audience");
        String wrongIssuer = claims.replace(issuer, "https://evil.example");
        assertRefused(verifier, signed("RS256", "rsa-1", rsa.getPrivate(), wrongIssuer), "issuer");
        KeyPair stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        assertRefused(verifier, signed("RS256", "rsa-1", stranger.getPrivate(), claims), "bad signature");
    }

    @Test
    void anIssuersPublicKeyCannotSignAnHs256Token() throws Exception {
        // The classic confusion: HMAC keyed with the issuer's public key. The HS256 path knows only the stack's secret.
        String claims = "{\"iss\":\"" + issuer + "\",\"aud\":\"app-client\",\"sub\":\"mallory\",\"exp\":" + (NOW.getEpochSecond() + 600) + "}";
        String header = B64.encodeToString("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}".getBytes(StandardCharsets.UTF_8));
        String body = B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(rsa.getPublic().getEncoded(), "HmacSHA256"));
        String forged = header + "." + body + "." + B64.encodeToString(mac.doFinal((header + "." + body).getBytes(StandardCharsets.US_ASCII)));
        assertRefused(verifierAt(NOW), forged, "bad signature");
    }

    @Test
    void unknownKeyIdsRefetchTheSetAtMostOncePerInterval() throws Exception {
        TokenVerifier verifier = verifierAt(NOW);
        String claims = "{\"iss\":\"" + issuer + "\",\"aud\":\"app-client\",\"sub\":\"alice\",\"exp\":" + (NOW.getEpochSecond() + 600) + "}";
        verifier.verify(signed("RS256", "rsa-1", rsa.getPrivate(), claims));
        for (int i = 0; i < 20; i++) {
            assertRefused(verifier, signed("RS256", "made-up-" + i, rsa.getPrivate(), claims), "no key");
        }
        assertEquals(1, jwksFetches.get());
    }

    @Test
    void anIssuerWithoutAnAudienceIsAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TokenVerifier(own,
                Optional.of(IssuerKeys.of("https://cognito-idp.eu-west-1.amazonaws.com/pool")), "", Clock.systemUTC()));
        assertTrue(e.getMessage().contains(ConnectAuth.JWT_AUDIENCE), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IssuerKeys.of("http://issuer.example"));
    }

    private TokenVerifier verifierAt(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new TokenVerifier(own, Optional.of(new IssuerKeys(issuer, HttpClient.newHttpClient(), clock)), "app-client", clock);
    }

    private static boolean accepts(TokenVerifier verifier, String token) {
        try {
            verifier.verify(token);
            return true;
        } catch (InvalidTokenException e) {
            return false;
        }
    }

    private static void assertRefused(TokenVerifier verifier, String token, String reason) {
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }

    private static String hs256(String claims) throws GeneralSecurityException {
        String input = B64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String signed(String alg, String kid, PrivateKey key, String claims) throws GeneralSecurityException {
        String input = B64.encodeToString(("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("RS256".equals(alg) ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
        signer.initSign(key);
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(signer.sign());
    }

    private String jwks() {
        RSAPublicKey rsaKey = (RSAPublicKey) rsa.getPublic();
        ECPublicKey ecKey = (ECPublicKey) ec.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa-1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"" + unsigned(rsaKey.getModulus())
                + "\",\"e\":\"" + unsigned(rsaKey.getPublicExponent()) + "\"},"
                + "{\"kty\":\"EC\",\"kid\":\"ec-1\",\"use\":\"sig\",\"crv\":\"P-256\",\"x\":\"" + unsigned(ecKey.getW().getAffineX())
                + "\",\"y\":\"" + unsigned(ecKey.getW().getAffineY()) + "\"}]}";
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return B64.encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
