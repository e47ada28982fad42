package dev.wsfanout.cdk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * Builds the stack as the app does, on the repository's own state machine definition (the file the
 * app deploys, found the way WsfanoutApp finds it) and a stand-in handlers jar, so these tests do not
 * depend on the handlers build but do see every change to the definition.
 */
final class StackUnderTest {

    /** Maven runs the module's tests in cdk/, as cdk.json runs the app. */
    static final Path REPOSITORY_ROOT = Path.of("..");
    static final Path DEFINITION = DeployArtifacts.defaultStateMachineDefinition(REPOSITORY_ROOT);

    private StackUnderTest() {
    }

    /** A jar with one entry: the asset only needs a file to hash and stage. */
    static Path handlersJar(Path dir) throws IOException {
        Path jar = dir.resolve("wsfanout-handlers-test-lambda.jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write("stand-in for the shaded handlers jar".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }

    /** An app with the AwsSolutions checks applied, as WsfanoutApp runs them. */
    static App appWithNag() {
        return withNag(new App());
    }

    /**
     * As {@link #appWithNag()}, without CDK's check of CloudFormation's 500 resources per stack: for
     * looking at what the checks say of a stack too large to deploy.
     */
    static App appWithNagAndNoResourceLimit() {
        return withNag(App.Builder.create().context(Map.of("@aws-cdk/core:stackResourceLimit", 0)).build());
    }

    private static App withNag(App app) {
        Aspects.of(app).add(new AwsSolutionsChecks());
        return app;
    }

    /**
     * The app WsfanoutApp builds from {@code context} (as {@code -c key=value} gives it) and
     * {@code environment} (the process's, where the CDK CLI puts the profile's account and Region),
     * with the AwsSolutions checks applied; the stacks are not synthesized yet.
     */
    static App appFromContext(Map<String, String> context, Map<String, String> environment) {
        App app = withNag(App.Builder.create().context(Map.copyOf(context)).build());
        WsfanoutApp.addStacks(app, environment, REPOSITORY_ROOT);
        return app;
    }

    /** The unsuppressed AwsSolutions errors, as "construct path: finding" lines a failure can show. */
    static List<String> nagErrors(Annotations annotations) {
        return lines(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
    }

    /** The unsuppressed AwsSolutions warnings, as {@link #nagErrors} lists the errors. */
    static List<String> nagWarnings(Annotations annotations) {
        return lines(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
    }

    private static List<String> lines(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
    }

    /** A copy of the real definition in {@code dir} with {@code from} (which must occur in it) replaced. */
    static Path definitionWith(Path dir, String from, String to) throws IOException {
        String text = Files.readString(DEFINITION);
        if (!text.contains(from)) {
            throw new AssertionError(DEFINITION + " no longer contains " + from + "; update the test's edit");
        }
        Path copy = dir.resolve("broadcast.asl.json");
        Files.writeString(copy, text.replace(from, to));
        return copy;
    }

    static WsfanoutStack stack(App app, DeployConfig config, Path handlersJar, Path definition) {
        return new WsfanoutStack(app, "Wsfanout", StackProps.builder().build(), config,
                new DeployArtifacts(handlersJar, definition));
    }
}
