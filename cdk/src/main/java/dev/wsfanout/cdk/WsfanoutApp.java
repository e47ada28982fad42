package dev.wsfanout.cdk;

import java.nio.file.Path;
import java.util.Map;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * {@code cdk synth} / {@code cdk deploy} entry point (cdk/cdk.json runs it from the cdk directory).
 * The stack is environment-agnostic and makes no context lookups, so synth needs no AWS
 * credentials; the account and Region come from the CLI profile at deploy time.
 */
public final class WsfanoutApp {

    private WsfanoutApp() {
    }

    public static void main(String[] args) {
        try {
            synth();
        } catch (IllegalArgumentException badInput) {
            // A knob, a path or the definition is wrong: the message names it; a stack trace would bury it.
            System.err.println("wsfanout: " + badInput.getMessage());
            System.exit(1);
        }
    }

    private static void synth() {
        App app = new App();
        @SuppressWarnings("unchecked")
        DeployContext context = new DeployContext((Map<String, ?>) app.getNode().getAllContext());
        Path repositoryRoot = Path.of("..");
        DeployArtifacts artifacts = new DeployArtifacts(
                context.string(DeployContext.HANDLERS_JAR).map(Path::of)
                        .orElseGet(() -> DeployArtifacts.defaultHandlersJar(repositoryRoot)),
                context.string(DeployContext.STATE_MACHINE_FILE).map(Path::of)
                        .orElseGet(() -> DeployArtifacts.defaultStateMachineDefinition(repositoryRoot)));
        new WsfanoutStack(app, context.string(DeployContext.STACK_NAME).orElse("Wsfanout"),
                StackProps.builder().description("wsfanout: broadcast to every API Gateway WebSocket client").build(),
                context.config(), artifacts);
        // The same checks the tests gate on; a finding that is not suppressed with a reason fails the synth.
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
    }
}
