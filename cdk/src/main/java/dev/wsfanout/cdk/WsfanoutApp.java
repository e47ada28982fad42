package dev.wsfanout.cdk;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import dev.wsfanout.model.CellDirectory;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * {@code cdk synth} / {@code cdk deploy} entry point (cdk/cdk.json runs it from the cdk directory).
 * By default one environment-agnostic stack: the account and Region come from the CLI profile at
 * deploy time. With {@code -c cells} (docs/cells.md) one stack per cell and the global stack, each
 * in its own account and Region, all named by the context. Neither makes context lookups, so synth
 * needs no AWS credentials.
 */
public final class WsfanoutApp {

    /** The single stack's default name, and the prefix of every stack of a deployment of cells. */
    static final String STACK_NAME = "Wsfanout";
    static final String GLOBAL_STACK_NAME = STACK_NAME + "Global";

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
        addStacks(app, System.getenv(), Path.of(".."));
        // The same checks the tests gate on; a finding that is not suppressed with a reason fails the synth.
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
    }

    /**
     * Adds the stacks the app's context asks for.
     *
     * @param environment the process environment, where the CDK CLI puts the profile's account and Region
     */
    static void addStacks(App app, Map<String, String> environment, Path repositoryRoot) {
        @SuppressWarnings("unchecked")
        DeployContext context = new DeployContext((Map<String, ?>) app.getNode().getAllContext());
        Path handlersJar = context.string(DeployContext.HANDLERS_JAR).map(Path::of)
                .orElseGet(() -> DeployArtifacts.defaultHandlersJar(repositoryRoot));
        Path definition = context.string(DeployContext.STATE_MACHINE_FILE).map(Path::of)
                .orElseGet(() -> DeployArtifacts.defaultStateMachineDefinition(repositoryRoot));
        Optional<CellDirectory> cells = context.cells();
        if (cells.isEmpty()) {
            new WsfanoutStack(app, context.string(DeployContext.STACK_NAME).orElse(STACK_NAME),
                    StackProps.builder().description("wsfanout: broadcast to every API Gateway WebSocket client").build(),
                    context.config(), new DeployArtifacts(handlersJar, definition));
            return;
        }
        if (context.string(DeployContext.STACK_NAME).isPresent()) {
            throw new IllegalArgumentException(DeployContext.STACK_NAME + " names the single stack; a deployment of "
                    + "cells names its stacks " + cellStackName("<account>", "<region>") + " and " + GLOBAL_STACK_NAME
                    + ": drop -c " + DeployContext.STACK_NAME);
        }
        Home home = Home.of(context, environment);
        DeployConfig config = context.config();
        DeployArtifacts artifacts = new DeployArtifacts(handlersJar, definition, Optional.of(
                context.string(DeployContext.CELLS_STATE_MACHINE_FILE).map(Path::of)
                        .orElseGet(() -> DeployArtifacts.defaultCellsStateMachineDefinition(repositoryRoot))));
        // First: it checks the cells as a whole (their list must fit the function's environment).
        new WsfanoutGlobalStack(app, GLOBAL_STACK_NAME, StackProps.builder()
                .env(home.environment())
                .description("wsfanout home: one broadcast across " + cells.get().cells().size() + " cells")
                .build(), config, artifacts, cells.get(), home);
        for (CellDirectory.Cell cell : cells.get().cells()) {
            String account = Arn.split(cell.stateMachineArn(), ArnFormat.COLON_RESOURCE_NAME).getAccount();
            new WsfanoutStack(app, cellStackName(account, cell.region()), StackProps.builder()
                    .env(Environment.builder().account(account).region(cell.region()).build())
                    .description("wsfanout cell " + cell.name() + ": broadcast to every API Gateway WebSocket "
                            + "client of this account and Region")
                    .build(), config, artifacts, Optional.of(home));
        }
    }

    static String cellStackName(String account, String region) {
        return STACK_NAME + "-" + account + "-" + region;
    }
}
