package dev.wsfanout.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.wsfanout.model.CellsDefinitionSubstitutions;

/**
 * The files the stacks deploy: the shaded handlers jar (one asset for every function), the broadcast
 * state machine definition and, for a deployment of cells only, the cross-cell one.
 */
public record DeployArtifacts(Path handlersJar, Path stateMachineDefinition, Optional<Path> cellsStateMachineDefinition) {

    public DeployArtifacts {
        handlersJar = handlersJar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(handlersJar)) {
            throw new IllegalArgumentException("handlers jar " + handlersJar + " does not exist; build it with "
                    + "`mvn -pl handlers -am package` at the repository root, or pass -c handlersJar=<path>");
        }
        stateMachineDefinition = existingDefinition(stateMachineDefinition, DeployContext.STATE_MACHINE_FILE);
        cellsStateMachineDefinition = cellsStateMachineDefinition
                .map(file -> existingDefinition(file, DeployContext.CELLS_STATE_MACHINE_FILE));
    }

    /** The single stack's: no cross-cell definition. */
    public DeployArtifacts(Path handlersJar, Path stateMachineDefinition) {
        this(handlersJar, stateMachineDefinition, Optional.empty());
    }

    private static Path existingDefinition(Path file, String contextKey) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("state machine definition " + absolute + " does not exist; pass -c "
                    + contextKey + "=<path>");
        }
        return absolute;
    }

    /** The repository's own build output: {@code handlers/target/wsfanout-handlers-*-lambda.jar}. */
    public static Path defaultHandlersJar(Path repositoryRoot) {
        Path target = repositoryRoot.resolve("handlers").resolve("target");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "wsfanout-handlers-*-lambda.jar")) {
                found.forEach(jars::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + target, e);
            }
        }
        if (jars.size() > 1) {
            throw new IllegalArgumentException("several handlers jars in " + target + ": " + jars
                    + "; pass -c handlersJar=<path> to pick one");
        }
        return jars.isEmpty() ? target.resolve("wsfanout-handlers-0.1.0-SNAPSHOT-lambda.jar") : jars.get(0);
    }

    public static Path defaultStateMachineDefinition(Path repositoryRoot) {
        return repositoryRoot.resolve("statemachine").resolve("broadcast.asl.json");
    }

    public static Path defaultCellsStateMachineDefinition(Path repositoryRoot) {
        return repositoryRoot.resolve(CellsDefinitionSubstitutions.DEFINITION_FILE);
    }
}
