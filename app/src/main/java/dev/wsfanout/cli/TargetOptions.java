package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.local.ProjectHome;
import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.JsonCodec;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flags that choose where a command talks to: the local stack (default, found through its
 * state file) or AWS with {@code --aws}, where region, profile and state machine ARN come from the
 * flags, then the environment, then (for the ARN) the CDK outputs file.
 */
public final class TargetOptions {

    static final String CDK_OUTPUTS = "cdk/cdk-outputs.json";
    static final String ARN_ENV = "WSFANOUT_STATE_MACHINE_ARN";
    /** The CfnOutput id in cdk/src/main/java/dev/wsfanout/cdk/WsfanoutStack.java. */
    static final String STATE_MACHINE_OUTPUT = "StateMachineArn";
    static final String CELLS_ARN_ENV = "WSFANOUT_CELLS_STATE_MACHINE_ARN";
    static final String CELLS_STATE_MACHINE_OUTPUT = CellDirectory.CROSS_CELL_OUTPUT;

    @Option(names = "--aws", description = "Use the state machine deployed on AWS instead of the local stack.")
    boolean aws;

    @Option(names = "--region", paramLabel = "REGION", description = "With --aws: the Region (default: AWS_REGION, then the AWS config).")
    String region;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "With --aws: the credentials profile (default: AWS_PROFILE, then the default chain).")
    String profile;

    @Option(names = "--state-machine-arn", paramLabel = "ARN", description = "With --aws: the broadcast state machine "
            + "(default: " + ARN_ENV + ", then the StateMachineArn output in " + CDK_OUTPUTS + ").")
    String stateMachineArn;

    @Option(names = "--cells", description = "With --aws: broadcast through the cross-cell state machine of a multi-cell deployment "
            + "(docs/cells.md; its ARN from --state-machine-arn, " + CELLS_ARN_ENV + ", or the " + CELLS_STATE_MACHINE_OUTPUT
            + " output in " + CDK_OUTPUTS + "). Locally implied when `wsfanout local --cells N` runs.")
    boolean cells;

    /**
     * The cross-cell state machine, when the command targets cells: {@code --aws --cells}, or the
     * local cells of {@code local --cells N}; empty for one deployment.
     */
    public Optional<CrossCellTarget> crossCell(CliContext context) {
        if (aws) {
            if (!cells) {
                return Optional.empty();
            }
            Map<String, String> env = context.env();
            String arn = Optional.ofNullable(firstSet(stateMachineArn, env.get(CELLS_ARN_ENV)))
                    .or(() -> cdkOutput(CELLS_STATE_MACHINE_OUTPUT, "--state-machine-arn"))
                    .orElseThrow(() -> new CliException(CliException.FAILED, "no cross-cell state machine ARN for --aws --cells: pass "
                            + "--state-machine-arn, set " + CELLS_ARN_ENV + ", or deploy the cells with `cdk deploy --all --outputs-file "
                            + "cdk-outputs.json` so that " + CDK_OUTPUTS + " has " + CELLS_STATE_MACHINE_OUTPUT));
            return Optional.of(CrossCellTarget.aws(BroadcastTarget.aws(sfn(env), arn)));
        }
        Optional<RunningStack> running = new LocalDeploymentFile(context.stateFile()).read();
        if (running.isPresent() && running.get().crossCell()) {
            return Optional.of(CrossCellTarget.local(running.get()));
        }
        if (cells) {
            throw new CliException(CliException.FAILED, "no local cells are running: start them with `./wsfanout local --cells 3`");
        }
        return Optional.empty();
    }

    public BroadcastTarget open(CliContext context) {
        return aws ? openAws(context) : openLocal(context);
    }

    private static BroadcastTarget openLocal(CliContext context) {
        RunningStack stack = new LocalDeploymentFile(context.stateFile()).read().orElseThrow(() -> new CliException(CliException.FAILED,
                "no local stack is running: start one with `./wsfanout local` (or use --aws)"));
        return BroadcastTarget.local(stack);
    }

    private BroadcastTarget openAws(CliContext context) {
        Map<String, String> env = context.env();
        String arn = resolveStateMachineArn(env);
        return BroadcastTarget.aws(sfn(env), arn);
    }

    private SfnClient sfn(Map<String, String> env) {
        return SfnClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(resolveRegion(region, env))
                .credentialsProvider(resolvedCredentials(profile, env))
                .build();
    }

    /** {@code --region}, then AWS_REGION / AWS_DEFAULT_REGION, then the AWS config. */
    static Region resolveRegion(String regionFlag, Map<String, String> env) {
        String configured = firstSet(regionFlag, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
        if (configured != null) {
            return Region.of(configured);
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new CliException(CliException.FAILED, "AWS region missing: pass --region or set AWS_REGION", e);
        }
    }

    /** {@code --profile}, then AWS_PROFILE, then the default chain; resolved now so a missing one is one line. */
    static AwsCredentialsProvider resolvedCredentials(String profileFlag, Map<String, String> env) {
        String name = firstSet(profileFlag, env.get("AWS_PROFILE"));
        AwsCredentialsProvider credentials = name == null ? DefaultCredentialsProvider.builder().build()
                : ProfileCredentialsProvider.create(name);
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new CliException(CliException.FAILED, "AWS credentials missing" + (name == null ? "" : " for profile "
                    + name) + ": run `aws configure` or `aws sso login`, or pass --profile / set AWS_PROFILE "
                    + "(--debug shows where the SDK looked)", e);
        }
        return credentials;
    }

    private String resolveStateMachineArn(Map<String, String> env) {
        String configured = firstSet(stateMachineArn, env.get(ARN_ENV));
        if (configured != null) {
            return configured;
        }
        return cdkOutput(STATE_MACHINE_OUTPUT, "--state-machine-arn").orElseThrow(() -> new CliException(CliException.FAILED, "no state machine ARN for --aws: pass "
                + "--state-machine-arn, set " + ARN_ENV + ", or deploy with `cdk deploy --outputs-file cdk-outputs.json` "
                + "so that " + CDK_OUTPUTS + " has it"));
    }

    /**
     * The output {@code key} of the deployed stack: {@code cdk deploy --outputs-file} writes
     * {"StackName": {"OutputKey": "value"}}; the stack's ARN output is StateMachineArn. Several
     * stacks with the output: {@code flag} is how to choose.
     */
    static Optional<String> cdkOutput(String key, String flag) {
        Path file;
        try {
            file = ProjectHome.locate().resolve(CDK_OUTPUTS);
        } catch (IllegalStateException notInRepository) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode outputs;
        try {
            outputs = JsonCodec.readTree(Files.readString(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(CliException.FAILED, file + " is not a CDK outputs file: " + e.getMessage(), e);
        }
        List<String> arns = new ArrayList<>();
        for (JsonNode stack : outputs) {
            for (Iterator<Map.Entry<String, JsonNode>> it = stack.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> output = it.next();
                if (output.getKey().equals(key)) {
                    arns.add(output.getValue().asText());
                }
            }
        }
        if (arns.size() > 1) {
            throw new CliException(CliException.FAILED, file + " has " + arns.size() + " " + key + " outputs " + arns
                    + ": pass " + flag + " to choose one");
        }
        return arns.stream().findFirst();
    }

    static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
