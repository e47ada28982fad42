package dev.wsfanout.cli;

import dev.wsfanout.auth.SharedSecretTokens;
import dev.wsfanout.model.ConnectAuth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code wsfanout token}: a connect token the stack's $connect authorizer accepts, for tests,
 * demos and a backend's first steps (a real application mints them in its own backend with the
 * same secret, or uses its OIDC issuer's JWTs).
 */
@Command(name = "token", sortOptions = false, description = "Mint a connect token (an HS256 JWT) that the $connect "
        + "authorizer accepts; clients pass it as ?token=... on the WebSocket URL.")
public final class TokenCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--subject", paramLabel = "ID", description = "Who connects (the token's sub; stored on the connection's row). Default: ${DEFAULT-VALUE}.")
    String subject = "cli-user";

    @Option(names = "--ttl", paramLabel = "DURATION", description = "How long the token opens the door, ISO-8601 (PT15M, PT2H; at most PT24H). Default: PT15M.")
    String ttl = ConnectAuth.DEFAULT_TOKEN_LIFETIME.toString();

    @Option(names = "--url", description = "Print the WebSocket URL with the token in it instead of the token alone.")
    boolean url;

    @Option(names = "--aws", description = "Sign with the deployed stack's secret (read from Secrets Manager) instead of the local stack's.")
    boolean aws;

    @Option(names = "--secret-id", paramLabel = "ARN", description = "With --aws: the TokenSecretArn output of the stack.")
    String secretId;

    @Option(names = "--audience", paramLabel = "STACK", description = "With --aws: the stack's name (the tokens' aud).")
    String audience;

    @Option(names = "--websocket-url", paramLabel = "URL", description = "With --aws and --url: the WebSocketUrl output of the stack.")
    String webSocketUrl;

    @Option(names = "--region", paramLabel = "REGION", description = "With --aws: the Region (default: AWS_REGION, then the AWS config).")
    String region;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public TokenCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Duration lifetime = lifetime();
        SharedSecretTokens tokens;
        String baseUrl;
        if (aws) {
            require(secretId, "--secret-id");
            require(audience, "--audience");
            if (url) {
                require(webSocketUrl, "--websocket-url");
            }
            tokens = new SharedSecretTokens(readSecret(context.env()).getBytes(StandardCharsets.UTF_8), audience);
            baseUrl = webSocketUrl;
        } else {
            RunningStack stack = new LocalDeploymentFile(context.stateFile()).read().orElseThrow(() -> new CliException(CliException.FAILED,
                    "no local stack is running: start one with `./wsfanout local` (or use --aws)"));
            tokens = ConnectUrls.tokensOf(stack);
            if (tokens == null) {
                throw new CliException(CliException.FAILED, "the local stack runs with --open: its $connect needs no token");
            }
            baseUrl = stack.webSocketUrl();
        }
        String token;
        try {
            token = tokens.mint(subject, lifetime, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.FAILED, e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(url ? ConnectUrls.withToken(URI.create(baseUrl), token).toString() : token);
        out.flush();
        return 0;
    }

    private Duration lifetime() {
        try {
            return Duration.parse(ttl);
        } catch (DateTimeParseException e) {
            throw new CliException(CliException.FAILED, "--ttl '" + ttl + "' is not an ISO-8601 duration such as PT15M or PT2H");
        }
    }

    private String readSecret(Map<String, String> env) {
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(TargetOptions.resolveRegion(region, env))
                .build()) {
            return secrets.getSecretValue(r -> r.secretId(secretId)).secretString();
        }
    }

    private static void require(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new CliException(CliException.FAILED, "--aws needs " + option + " (see the stack's outputs)");
        }
    }
}
