package dev.wsfanout.auth;

/**
 * A token whose signature, issuer, audience and times were checked.
 *
 * @param subject who connected: the token's {@code sub}
 * @param source  which key accepted it: {@link dev.wsfanout.model.ConnectAuth#TOKEN_ISSUER} or the OIDC issuer
 */
public record VerifiedToken(String subject, String source) {
}
