package dev.wsfanout.model;

import java.time.Duration;

/**
 * The facts of the $connect authorizer that the handlers, the CDK app, the local gateway and the
 * CLI share: where a client puts its token, the authorizer's environment, and the limits of the
 * tokens wsfanout signs itself (HS256 JWTs with the stack's secret; see docs/security.md).
 */
public final class ConnectAuth {

    /**
     * The query parameter that carries the token: browsers cannot set headers on a WebSocket
     * upgrade, so a header would shut them out ({@code wss://.../stage?token=...}).
     */
    public static final String TOKEN_QUERY_PARAMETER = "token";
    /** The authorizer's identity source: without it API Gateway answers 401 and never invokes the authorizer. */
    public static final String IDENTITY_SOURCE = "route.request.querystring." + TOKEN_QUERY_PARAMETER;

    /** Secrets Manager id (ARN or name) of the HMAC key that signs wsfanout's own tokens. */
    public static final String TOKEN_SECRET_ID = "TOKEN_SECRET_ID";
    /** The {@code aud} every wsfanout token must carry: one stack's tokens do not open another stack. */
    public static final String TOKEN_AUDIENCE = "TOKEN_AUDIENCE";
    /** Optional: an OIDC issuer ({@code iss}) whose JWTs are accepted too, keys from its discovery document. */
    public static final String JWT_ISSUER = "JWT_ISSUER";
    /** The {@code aud} (or Cognito {@code client_id}) the issuer's JWTs must carry; required with {@link #JWT_ISSUER}. */
    public static final String JWT_AUDIENCE = "JWT_AUDIENCE";

    /** The {@code iss} of wsfanout's own tokens. */
    public static final String TOKEN_ISSUER = "wsfanout";
    /** The default {@code aud} of wsfanout's own tokens (the local stack's). */
    public static final String DEFAULT_AUDIENCE = "wsfanout";
    /** How long a token minted by {@code wsfanout token} lives unless told otherwise. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(15);
    /** The longest lifetime the authorizer accepts ({@code exp - iat}): a leaked token must not open doors for days. */
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(24);
    /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** The authorizer context key (and registry attribute) holding who connected: the token's {@code sub}. */
    public static final String IDENTITY = "identity";
    /** The authorizer context key naming which key source accepted the token: {@code wsfanout} or the issuer. */
    public static final String TOKEN_SOURCE = "tokenSource";

    private ConnectAuth() {
    }
}
