package dev.wsfanout.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository root (the folder with {@code package.json} and {@code tools/}), where the
 * pinned Node tools live: {@code WSFANOUT_HOME} if set, else the nearest ancestor of the working
 * directory that has both — Maven runs each module's tests from inside the module folder.
 */
public final class ProjectHome {

    public static final String ENV = "WSFANOUT_HOME";

    private ProjectHome() {
    }

    public static Path locate() {
        String configured = System.getenv(ENV);
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured).toAbsolutePath();
            if (!isHome(home)) {
                throw new IllegalStateException(ENV + "=" + configured + " has no package.json and tools/ folder");
            }
            return home;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (isHome(p)) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the wsfanout folder (package.json + tools/) above " + start
                + "; run from inside the repository or set " + ENV);
    }

    private static boolean isHome(Path p) {
        return Files.isRegularFile(p.resolve("package.json")) && Files.isDirectory(p.resolve("tools"));
    }
}
