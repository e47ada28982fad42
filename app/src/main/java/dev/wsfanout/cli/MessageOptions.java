package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wsfanout.model.JsonCodec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Where the broadcast message comes from (exactly one of --message and --file) and how to read it. */
public final class MessageOptions {

    @Option(names = "--message", paramLabel = "TEXT", description = "The message (sent as a JSON string unless --json).")
    String text;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the message from this UTF-8 file instead.")
    Path file;

    @Option(names = "--json", description = "The message is a JSON value (object, array, number...), sent as is.")
    boolean json;

    /** @throws CliException naming the flag whose value is missing or unusable */
    public JsonNode message() {
        if ((text == null) == (file == null)) {
            throw new CliException(CliException.FAILED, "give the message with exactly one of --message TEXT or --file FILE");
        }
        String raw = text != null ? text : read(file);
        if (!json) {
            return TextNode.valueOf(raw);
        }
        try {
            return JsonCodec.readTree(raw);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.FAILED, "--json: the " + (text != null ? "--message" : "--file " + file)
                    + " text is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CliException(CliException.FAILED, "--file " + file + ": no such file", e);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "--file " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }
}
