package dev.wsfanout.cli;

import dev.wsfanout.model.JsonCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The small JSON file through which {@code send} and {@code audit} in another terminal find the
 * stack {@code wsfanout local} runs. Written when the stack is up, removed when it stops; a file
 * left by a killed process is ignored because its pid no longer runs.
 */
public final class LocalDeploymentFile {

    private final Path path;

    public LocalDeploymentFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Written to a temporary file and moved into place, so a reader never sees half a file. */
    public void write(RunningStack stack) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Path partial = path.resolveSibling(path.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            if (partial.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // It holds the key of the stack's connect tokens: its owner's alone, from its first byte.
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(partial, JsonCodec.write(stack));
            Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local stack file " + path, e);
        }
    }

    /** The stack this file describes, if the file exists and its process still runs. */
    public Optional<RunningStack> read() {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        RunningStack stack;
        try {
            stack = JsonCodec.read(Files.readString(path), RunningStack.class);
        } catch (IOException | IllegalArgumentException unreadable) {
            return Optional.empty();
        }
        boolean alive = ProcessHandle.of(stack.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(stack) : Optional.empty();
    }

    /** Removes the file if it still describes {@code stack} (a newer stack may have replaced it). */
    public void deleteIfOwnedBy(RunningStack stack) {
        try {
            if (Files.isRegularFile(path) && JsonCodec.read(Files.readString(path), RunningStack.class).equals(stack)) {
                Files.delete(path);
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("wsfanout: could not remove " + path + ": " + e.getMessage());
        }
    }
}
