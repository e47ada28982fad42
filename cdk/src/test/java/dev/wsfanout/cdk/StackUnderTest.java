package dev.wsfanout.cdk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * Builds the stack as the app does, but on a stand-in handlers jar and the fixture state machine
 * definition, so these tests do not depend on the handlers build or the real definition's progress.
 */
final class StackUnderTest {

    static final Path FIXTURE_DEFINITION = Path.of("src", "test", "resources", "broadcast.asl.json");

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
        App app = new App();
        Aspects.of(app).add(new AwsSolutionsChecks());
        return app;
    }

    /** The unsuppressed AwsSolutions errors, as "construct path: finding" lines a failure can show. */
    static List<String> nagErrors(Annotations annotations) {
        return annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream()
                .map(m -> m.getId() + ": " + m.getEntry().getData())
                .toList();
    }

    static WsfanoutStack stack(App app, DeployConfig config, Path handlersJar, Path definition) {
        return new WsfanoutStack(app, "Wsfanout", StackProps.builder().build(), config,
                new DeployArtifacts(handlersJar, definition));
    }
}
