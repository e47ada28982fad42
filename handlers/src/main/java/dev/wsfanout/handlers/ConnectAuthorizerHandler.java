package dev.wsfanout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import dev.wsfanout.auth.ConnectAuthorizer;
import dev.wsfanout.auth.IssuerKeys;
import dev.wsfanout.auth.SharedSecretTokens;
import dev.wsfanout.auth.TokenVerifier;
import dev.wsfanout.aws.AwsClients;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.ConnectAuth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The $connect REQUEST authorizer: wsfanout's own HS256 tokens (the key read once from Secrets
 * Manager, {@code TOKEN_SECRET_ID}) and, with {@code JWT_ISSUER}, that OIDC issuer's JWTs.
 */
public final class ConnectAuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, Map<String, Object>> {

    private final ConnectAuthorizer authorizer;

    public ConnectAuthorizerHandler() {
        this(fromEnvironment(System.getenv()));
    }

    public ConnectAuthorizerHandler(ConnectAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        return authorizer.authorize(event.getQueryStringParameters(), event.getMethodArn());
    }

    private static ConnectAuthorizer fromEnvironment(Map<String, String> env) {
        String secretId = env.get(ConnectAuth.TOKEN_SECRET_ID);
        if (secretId == null || secretId.isBlank()) {
            throw new IllegalStateException(ConnectAuth.TOKEN_SECRET_ID + " is not set: the authorizer needs the Secrets Manager "
                    + "secret that signs wsfanout's tokens");
        }
        String secret;
        try (var secrets = new AwsClients(FanoutConfig.fromEnv(env), env).secretsManager()) {
            secret = secrets.getSecretValue(r -> r.secretId(secretId)).secretString();
        }
        String audience = env.getOrDefault(ConnectAuth.TOKEN_AUDIENCE, ConnectAuth.DEFAULT_AUDIENCE);
        String issuer = env.get(ConnectAuth.JWT_ISSUER);
        Optional<IssuerKeys> issuerKeys = issuer == null || issuer.isBlank() ? Optional.empty() : Optional.of(IssuerKeys.of(issuer));
        return new ConnectAuthorizer(new TokenVerifier(new SharedSecretTokens(secret.getBytes(StandardCharsets.UTF_8), audience),
                issuerKeys, env.get(ConnectAuth.JWT_AUDIENCE), Clock.systemUTC()));
    }
}
