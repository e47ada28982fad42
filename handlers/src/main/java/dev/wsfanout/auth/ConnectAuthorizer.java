package dev.wsfanout.auth;

import dev.wsfanout.model.ConnectAuth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The $connect REQUEST authorizer's decision: the token from the query string is verified and
 * the answer is API Gateway's authorizer response, an IAM policy allowing this one $connect, with
 * the identity in its context (API Gateway hands the context to $connect and every later route of
 * the connection as {@code requestContext.authorizer}). A token that does not verify is
 * {@link Unauthorized}: API Gateway answers the upgrade 401.
 */
public final class ConnectAuthorizer {

    private final TokenVerifier verifier;

    public ConnectAuthorizer(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * @param queryParameters the upgrade request's query string
     * @param methodArn       {@code arn:aws:execute-api:region:account:api/stage/$connect}
     * @throws Unauthorized when the token is missing or does not verify (the reason goes to the log)
     */
    public Map<String, Object> authorize(Map<String, String> queryParameters, String methodArn) {
        String token = queryParameters == null ? null : queryParameters.get(ConnectAuth.TOKEN_QUERY_PARAMETER);
        VerifiedToken verified;
        try {
            verified = verifier.verify(token);
        } catch (InvalidTokenException refused) {
            System.err.println("authorizer: refused a $connect: " + refused.getMessage());
            throw new Unauthorized();
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", "Allow");
        statement.put("Resource", methodArn);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("principalId", verified.subject());
        response.put("policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
        response.put("context", Map.of(ConnectAuth.IDENTITY, verified.subject(), ConnectAuth.TOKEN_SOURCE, verified.source()));
        return response;
    }

    /** API Gateway turns an authorizer error whose message is exactly "Unauthorized" into 401. */
    public static final class Unauthorized extends RuntimeException {
        public Unauthorized() {
            super("Unauthorized", null, false, false);
        }
    }
}
