package dev.wsfanout.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A JWS in compact serialization ({@code header.claims.signature}, RFC 7515 §7.1), split and
 * decoded but not yet trusted: {@link TokenVerifier} checks the signature over
 * {@link #signingInput()} before it reads a claim.
 */
record CompactJwt(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {

    /** Far above any real token; a guard against a request that is one huge query parameter. */
    static final int MAX_LENGTH = 8_192;

    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    static CompactJwt parse(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("no token");
        }
        if (token.length() > MAX_LENGTH) {
            throw new InvalidTokenException("token of " + token.length() + " characters, more than " + MAX_LENGTH);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException("not a compact JWS: " + parts.length + " dot-separated parts, expected 3");
        }
        JsonNode header = json(parts[0], "header");
        JsonNode claims = json(parts[1], "claims");
        byte[] signature = decode(parts[2], "signature");
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        return new CompactJwt(header, claims, signingInput, signature);
    }

    String algorithm() {
        JsonNode alg = header.get("alg");
        return alg != null && alg.isTextual() ? alg.asText() : "";
    }

    String keyId() {
        JsonNode kid = header.get("kid");
        return kid != null && kid.isTextual() ? kid.asText() : null;
    }

    private static JsonNode json(String part, String what) throws InvalidTokenException {
        byte[] bytes = decode(part, what);
        try {
            JsonNode node = JsonCodec.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw new InvalidTokenException("the token's " + what + " is not a JSON object");
            }
            return node;
        } catch (IllegalArgumentException malformed) {
            throw new InvalidTokenException("the token's " + what + " is not JSON", malformed);
        }
    }

    private static byte[] decode(String part, String what) throws InvalidTokenException {
        try {
            return BASE64URL.decode(part);
        } catch (IllegalArgumentException malformed) {
            throw new InvalidTokenException("the token's " + what + " is not base64url", malformed);
        }
    }
}
