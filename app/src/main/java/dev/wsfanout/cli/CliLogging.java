package dev.wsfanout.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Where the stand-ins' own log lines go (java.util.logging, which netty and the local runtime
 * use). On a busy machine they can warn by the thousand, burying the one line the CLI prints, so
 * the CLI sends them to a file next to the state file; {@code --debug} leaves them on stderr.
 */
public final class CliLogging {

    private static final int MAX_BYTES = 10 * 1024 * 1024;

    private CliLogging() {
    }

    /**
     * @param directory where {@code wsfanout0.log} goes (another process writing it gets {@code wsfanout1.log})
     * @return the pattern of the log file, for messages
     */
    public static String toFileIn(Path directory) {
        String pattern = directory.resolve("wsfanout%u.log").toString();
        try {
            Files.createDirectories(directory);
            FileHandler file = new FileHandler(pattern, MAX_BYTES, 1, true);
            file.setFormatter(new SimpleFormatter());
            LogManager.getLogManager().reset();
            Logger root = Logger.getLogger("");
            root.addHandler(file);
            root.setLevel(Level.INFO);
        } catch (IOException | SecurityException e) {
            System.err.println("wsfanout: cannot log to " + pattern + " (" + e.getMessage() + "); logging to stderr");
        }
        return pattern;
    }
}
